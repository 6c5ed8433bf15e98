package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.transport.http.HttpMetricsListeners;

/** Prometheus exposition over HTTP ({@code global.monitoring: prometheus}). */
public final class MetricsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(MetricsListeners.class).to(HttpMetricsListeners.class);
    bind(HttpMetricsListeners.class).in(Singleton.class);
  }
}
