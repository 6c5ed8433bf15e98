package org.zrepl.transport.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

/** Sends one request to a daemon's control socket and returns its response. */
public final class ControlClient {

  /** Longest response accepted (a status of many datasets), in bytes. */
  public static final int MAX_RESPONSE = 16 * 1024 * 1024;

  private final Path socket;
  private final ObjectMapper json = new ObjectMapper();

  public ControlClient(Path socket) {
    this.socket = socket;
  }

  /** Whether something exists at the socket path (the daemon may still not listen). */
  public boolean socketExists() {
    return Files.exists(socket);
  }

  public ControlResponse call(ControlRequest request) {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        InputStream in = new BufferedInputStream(Channels.newInputStream(c));
        OutputStream out = Channels.newOutputStream(c)) {
      out.write((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      JsonNode n = json.readTree(Lines.read(in, MAX_RESPONSE, "response"));
      JsonNode error = n.path("error");
      return new ControlResponse(
          n.path("ok").asBoolean(false),
          error.isTextual() ? error.asText() : null,
          n.hasNonNull("body") ? n.get("body").toString() : null);
    } catch (IOException e) {
      throw new ControlException(
          "cannot talk to the daemon at control socket " + socket + ": " + e.getMessage(), e);
    }
  }
}
