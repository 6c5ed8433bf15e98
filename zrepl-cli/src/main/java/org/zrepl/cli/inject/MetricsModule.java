package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.zrepl.port.metrics.MetricsRegistry;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.transport.http.HttpMetricsListeners;
import org.zrepl.transport.prometheus.PrometheusMetricsRegistry;

/**
 * Prometheus exposition over HTTP ({@code global.monitoring: prometheus}): the registry on
 * Prometheus' Java client (with JVM and process metrics) and the listener that serves it.
 */
public final class MetricsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(MetricsListeners.class).to(HttpMetricsListeners.class);
    bind(HttpMetricsListeners.class).in(Singleton.class);
    bind(MetricsRegistry.class).to(PrometheusMetricsRegistry.class);
    bind(PrometheusMetricsRegistry.class)
        .toProvider(PrometheusMetricsRegistry::new)
        .in(Singleton.class);
  }
}
