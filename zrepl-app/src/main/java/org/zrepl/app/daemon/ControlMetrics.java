package org.zrepl.app.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.transport.control.ControlHandler;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

/**
 * Counts and times control-socket requests as zrepl does: {@code zrepl_control_request_begin} and
 * the histogram {@code zrepl_control_request_finished}, labelled with the endpoint ({@code
 * /version}, {@code /signal}, ...). Like zrepl, {@code status} requests are neither counted nor
 * timed (zrepl leaves them out as too frequent).
 */
final class ControlMetrics implements ControlHandler {

  /** zrepl's buckets for control requests, in seconds. */
  static final List<Double> BUCKETS =
      List.of(
          1e-6, 10e-6, 100e-6, 500e-6, 1e-3, 10e-3, 100e-3, 200e-3, 400e-3, 800e-3, 1.0, 10.0,
          20.0);

  private final ControlHandler inner;
  private final Clock clock;
  private final MetricsRegistry.Counter begin;
  private final MetricsRegistry.Histogram finished;

  ControlMetrics(ControlHandler inner, MetricsRegistry r, Clock clock) {
    this.inner = inner;
    this.clock = clock;
    this.begin =
        r.counter(
            "zrepl_control_request_begin", "number of request we started to handle", "endpoint");
    this.finished =
        r.histogram(
            "zrepl_control_request_finished",
            "time it took a request to finish",
            BUCKETS,
            "endpoint");
  }

  @Override
  public ControlResponse handle(ControlRequest request) {
    if ("status".equals(request.command())) {
      return inner.handle(request);
    }
    String endpoint = "/" + request.command();
    begin.inc(endpoint);
    Instant start = clock.instant();
    try {
      return inner.handle(request);
    } finally {
      finished.observe(Duration.between(start, clock.instant()).toNanos() / 1e9, endpoint);
    }
  }
}
