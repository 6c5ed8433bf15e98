package org.zrepl.port.transport;

import java.util.function.Supplier;

/** HTTP listeners that expose Prometheus metrics ({@code global.monitoring: prometheus}). */
public interface MetricsListeners {

  /**
   * Listens on {@code listen} ({@code host:port}) and answers {@code GET /metrics} with what {@code
   * metrics} renders; throws an unchecked exception naming the address when it cannot bind.
   */
  MetricsListener start(String listen, boolean freebind, Supplier<String> metrics);

  /** A running listener. */
  interface MetricsListener extends AutoCloseable {
    /** The port it listens on (tests configure port 0). */
    int port();

    @Override
    void close();
  }
}
