package org.zrepl.app.daemon;

import jakarta.inject.Inject;
import java.util.Objects;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.port.transport.control.ControlSockets;

/**
 * What the daemon process needs besides its jobs: the control socket, the Prometheus listeners and
 * the network logging outlets.
 */
public record DaemonServices(
    ControlSockets controlSockets, MetricsListeners metricsListeners, LogSinks logSinks) {

  @Inject
  public DaemonServices {
    Objects.requireNonNull(controlSockets, "controlSockets");
    Objects.requireNonNull(metricsListeners, "metricsListeners");
    Objects.requireNonNull(logSinks, "logSinks");
  }
}
