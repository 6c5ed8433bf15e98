package org.zrepl.transport.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in Prometheus' text exposition format (version 0.0.4) on a TCP
 * address written as zrepl writes it: {@code :9811} (all interfaces) or {@code host:port}.
 */
public final class MetricsServer implements AutoCloseable {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code listen}; throws {@link IllegalArgumentException} naming a bad address. */
  public static MetricsServer start(String listen, Supplier<String> metrics) {
    InetSocketAddress address = parse(listen);
    HttpServer s;
    try {
      s = HttpServer.create(address, 16);
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

  /** The port actually bound (useful with port 0). */
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
