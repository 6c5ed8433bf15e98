package org.zrepl.app.daemon;

import jakarta.inject.Inject;
import java.util.Objects;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.port.transport.control.ControlSockets;

/**
 * What the daemon process needs besides its jobs: the control socket, the Prometheus listeners, the
 * metrics registry they serve and the network logging outlets.
 */
public record DaemonServices(
    ControlSockets controlSockets,
    MetricsListeners metricsListeners,
    MetricsRegistry metricsRegistry,
    LogSinks logSinks) {

  @Inject
  public DaemonServices {
    Objects.requireNonNull(controlSockets, "controlSockets");
    Objects.requireNonNull(metricsListeners, "metricsListeners");
    Objects.requireNonNull(metricsRegistry, "metricsRegistry");
    Objects.requireNonNull(logSinks, "logSinks");
  }
}
