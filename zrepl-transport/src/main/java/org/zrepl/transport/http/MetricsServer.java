package org.zrepl.transport.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.transport.tcp.Freebind;

/**
 * Serves {@code GET /metrics} in Prometheus' text exposition format (version 0.0.4) on a TCP
 * address written as zrepl writes it: {@code :9811} (all interfaces) or {@code host:port}.
 */
public final class MetricsServer implements MetricsListeners.MetricsListener {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code listen}; throws {@link IllegalArgumentException} naming a bad address. */
  public static MetricsServer start(String listen, Supplier<String> metrics) {
    return start(listen, false, metrics);
  }

  /**
   * As {@link #start(String, Supplier)}; with {@code freebind} ({@code listen_freebind}) the
   * address need not be configured on this machine (see {@link Freebind}).
   */
  public static MetricsServer start(String listen, boolean freebind, Supplier<String> metrics) {
    InetSocketAddress address = parse(listen);
    HttpServer s;
    try {
      if (freebind) {
        s = HttpServer.create(); // unbound: its socket exists, so freebind can be set first
        Freebind.enable(serverChannel(s));
        s.bind(address, 16);
      } else {
        s = HttpServer.create(address, 16);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen for Prometheus on '" + listen + "': " + e.getMessage(), e);
    }
    s.createContext("/metrics", ex -> answer(ex, metrics));
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            }));
    s.start();
    return new MetricsServer(s);
  }

  /**
   * The JDK server's listening channel. {@link HttpServer} does not expose it; its implementation
   * keeps it in {@code sun.net.httpserver.ServerImpl.schan}, readable with the JVM option {@value
   * #JVM_OPTION} (the zrepl jar's manifest carries it).
   */
  static ServerSocketChannel serverChannel(HttpServer s) throws IOException {
    try {
      Field impl = s.getClass().getDeclaredField("server");
      impl.setAccessible(true);
      Object server = impl.get(s);
      Field schan = server.getClass().getDeclaredField("schan");
      schan.setAccessible(true);
      return (ServerSocketChannel) schan.get(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException(
          "listen_freebind for Prometheus needs the JVM options "
              + JVM_OPTION
              + " and "
              + Freebind.JVM_OPTION
              + " (bin/zrepl runs the jar, whose manifest carries them): "
              + e,
          e);
    }
  }

  /** The JVM option that lets {@link #serverChannel} reach the JDK server's socket. */
  public static final String JVM_OPTION =
      "--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";

  /** The port actually bound (useful with port 0). */
  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  static InetSocketAddress parse(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "listen address must be host:port or :port, got '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen port must be a number, got '" + listen + "'", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen port must be 0..65535, got " + port);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  private static void answer(HttpExchange ex, Supplier<String> metrics) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())
          || !"/metrics".equals(ex.getRequestURI().getPath())) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body;
      try {
        body = metrics.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        LOG.error("cannot render metrics", e);
        ex.sendResponseHeaders(500, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
