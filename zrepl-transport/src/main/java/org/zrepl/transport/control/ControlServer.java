package org.zrepl.transport.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlHandler;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;
import org.zrepl.port.transport.control.ControlSockets;

/**
 * Serves the control socket: accepts connections on a unix-domain socket and answers each one's
 * single request through the {@link ControlHandler}. {@link #start} fails loudly when the socket
 * directory is not private, another daemon listens on the socket, or binding fails.
 */
public final class ControlServer implements ControlSockets.ControlSocket {

  /** Longest request line accepted, in bytes. */
  public static final int MAX_LINE = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  private final Path socket;
  private final ServerSocketChannel channel;
  private final ControlHandler handler;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService workers;
  private final Thread acceptor;

  private ControlServer(Path socket, ServerSocketChannel channel, ControlHandler handler) {
    this.socket = socket;
    this.channel = channel;
    this.handler = handler;
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "control-connection");
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "control-accept");
    this.acceptor.setDaemon(true);
  }

  /** Binds {@code socket} (its directory checked private, a stale socket replaced) and serves. */
  public static ControlServer start(Path socket, ControlHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Path abs = socket.toAbsolutePath();
    SocketDirectory.ensurePrivate(abs.getParent());
    removeStale(abs);
    ServerSocketChannel ch;
    try {
      ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      ch.bind(UnixDomainSocketAddress.of(abs));
    } catch (IOException e) {
      throw new ControlException("cannot listen on control socket " + abs + ": " + e, e);
    }
    ControlServer s = new ControlServer(abs, ch, handler);
    s.acceptor.start();
    return s;
  }

  @Override
  public Path socket() {
    return socket;
  }

  private static void removeStale(Path socket) {
    if (!Files.exists(socket)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      throw new ControlException(
          "another daemon is listening on control socket " + socket + "; stop it first");
    } catch (IOException notListening) {
      try {
        Files.delete(socket);
      } catch (IOException e) {
        throw new ControlException("cannot remove stale control socket " + socket + ": " + e, e);
      }
    }
  }

  private void acceptLoop() {
    while (channel.isOpen()) {
      try {
        SocketChannel c = channel.accept();
        workers.execute(() -> serve(c));
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException e) {
        LOG.warn("control socket accept failed: {}", e.toString(), e);
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c;
        InputStream in = new BufferedInputStream(Channels.newInputStream(c));
        OutputStream out = Channels.newOutputStream(c)) {
      ControlResponse response;
      try {
        String line = Lines.read(in, MAX_LINE, "request");
        ControlRequest request = json.readValue(line, ControlRequest.class);
        response = handler.handle(request);
      } catch (ControlException | IOException | IllegalArgumentException e) {
        response = ControlResponse.error("bad control request: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("control request failed", e);
        response = ControlResponse.error("internal error: " + e);
      }
      out.write((wire(response) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      LOG.debug("control connection failed: {}", e.toString());
    }
  }

  /**
   * The response line: {@code {"ok":...,"error":...,"body":...}}, the body's JSON text in place.
   */
  private String wire(ControlResponse r) throws IOException {
    ObjectNode n = json.createObjectNode();
    n.put("ok", r.ok());
    n.put("error", r.error());
    n.set("body", json.readTree(r.body()));
    return json.writeValueAsString(n);
  }

  /** Stops accepting and removes the socket file. */
  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("cannot remove control socket {}: {}", socket, e.toString());
    }
    workers.shutdown();
  }
}
