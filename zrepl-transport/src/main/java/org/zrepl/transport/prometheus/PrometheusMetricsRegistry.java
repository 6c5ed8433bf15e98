package org.zrepl.transport.prometheus;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.zrepl.port.metrics.MetricsRegistry;

/**
 * The {@link MetricsRegistry} port on Prometheus' Java client ({@code
 * io.prometheus:prometheus-metrics-core}), with the client's JVM and process metrics ({@code
 * jvm_*}, {@code process_*}) registered at the first scrape.
 *
 * <p>Counters: the client always exposes a counter as {@code name_total}. zrepl's Go daemon names
 * several counters without that suffix ({@code zrepl_daemon_log_entries}, {@code
 * zrepl_replication_bytes_replicated}, ...), and its dashboard queries them so. A counter whose
 * name ends in {@code _total} is a client counter; any other counter keeps its name exactly and is
 * exposed untyped ({@link UntypedCounter}), so zrepl's queries still find it.
 */
public final class PrometheusMetricsRegistry implements MetricsRegistry {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final boolean jvm;
  private boolean jvmRegistered;

  /** A registry with the JVM and process metrics. */
  public PrometheusMetricsRegistry() {
    this(true);
  }

  /**
   * With {@code jvm} false, only what is registered through the port (tests). The JVM and process
   * metrics are registered at the first {@link #scrape()}: they read the JVM's management beans
   * when scraped anyway, and starting those beans costs a {@code zrepl run --once}, which is never
   * scraped, about a tenth of its start.
   */
  public PrometheusMetricsRegistry(boolean jvm) {
    this.jvm = jvm;
  }

  private synchronized void registerJvmMetricsOnce() {
    if (jvm && !jvmRegistered) {
      JvmMetrics.builder().register(registry);
      jvmRegistered = true;
    }
  }

  @Override
  public Counter counter(String name, String help, String... labelNames) {
    if (name.endsWith("_total")) {
      claim(name);
      io.prometheus.metrics.core.metrics.Counter c =
          io.prometheus.metrics.core.metrics.Counter.builder()
              .name(name)
              .help(help)
              .labelNames(labelNames)
              .register(registry);
      return (amount, values) -> c.labelValues(values).inc(amount);
    }
    UntypedCounter c = new UntypedCounter(name, help, List.of(labelNames));
    register(name, c);
    return c;
  }

  @Override
  public Gauge gauge(String name, String help, String... labelNames) {
    claim(name);
    io.prometheus.metrics.core.metrics.Gauge g =
        io.prometheus.metrics.core.metrics.Gauge.builder()
            .name(name)
            .help(help)
            .labelNames(labelNames)
            .register(registry);
    return (value, values) -> g.labelValues(values).set(value);
  }

  @Override
  public Histogram histogram(String name, String help, List<Double> buckets, String... labelNames) {
    claim(name);
    io.prometheus.metrics.core.metrics.Histogram h =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name(name)
            .help(help)
            .labelNames(labelNames)
            .classicOnly()
            .classicUpperBounds(buckets.stream().mapToDouble(Double::doubleValue).toArray())
            .register(registry);
    return (value, values) -> h.labelValues(values).observe(value);
  }

  @Override
  public Histogram summary(String name, String help, String... labelNames) {
    claim(name);
    io.prometheus.metrics.core.metrics.Summary s =
        io.prometheus.metrics.core.metrics.Summary.builder()
            .name(name)
            .help(help)
            .labelNames(labelNames)
            .register(registry);
    return (value, values) -> s.labelValues(values).observe(value);
  }

  @Override
  public void gaugeCallback(
      String name, String help, List<String> labelNames, Consumer<Samples> collect) {
    claim(name);
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(labelNames.toArray(String[]::new))
        .callback(cb -> collect.accept(cb::call))
        .register(registry);
  }

  @Override
  public void counterCallback(
      String name, String help, List<String> labelNames, Consumer<Samples> collect) {
    if (name.endsWith("_total")) {
      claim(name);
      CounterWithCallback.builder()
          .name(name)
          .help(help)
          .labelNames(labelNames.toArray(String[]::new))
          .callback(cb -> collect.accept(cb::call))
          .register(registry);
      return;
    }
    register(name, new UntypedCounter.Callback(name, help, labelNames, collect));
  }

  @Override
  public void histogramCallback(
      String name,
      String help,
      List<Double> buckets,
      List<String> labelNames,
      Consumer<HistogramSamples> collect) {
    register(name, new HistogramCallback(name, help, buckets, labelNames, collect));
  }

  private void register(String name, io.prometheus.metrics.model.registry.Collector c) {
    claim(name);
    registry.register(c);
  }

  /** Refuses a second metric of the same name (the client checks only its own metric types). */
  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("metric '" + name + "' is registered twice");
    }
  }

  @Override
  public String scrape() {
    registerJvmMetricsOnce();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Prometheus text format", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
