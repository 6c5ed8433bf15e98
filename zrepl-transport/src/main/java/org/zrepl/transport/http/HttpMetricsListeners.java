package org.zrepl.transport.http;

import java.util.function.Supplier;
import org.zrepl.port.transport.MetricsListeners;

/** The {@link MetricsListeners} port over {@link MetricsServer}. */
public final class HttpMetricsListeners implements MetricsListeners {

  @Override
  public MetricsListener start(String listen, boolean freebind, Supplier<String> metrics) {
    return MetricsServer.start(listen, freebind, metrics);
  }
}
