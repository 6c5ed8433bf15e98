package org.zrepl.port.metrics;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the daemon records what {@code /metrics} shows. The app and the ZFS adapter register their
 * metrics here by name, help text and label names, and record values with label values in the same
 * order; the adapter behind it (Prometheus' Java client in zrepl-transport) owns the exposition
 * format. Registering a name twice, or a name or label that the format does not allow, throws
 * {@link IllegalArgumentException} naming it.
 */
public interface MetricsRegistry {

  /**
   * A counter: only goes up ({@code _total} is not appended; the name is what the scrape shows).
   */
  Counter counter(String name, String help, String... labelNames);

  /** A gauge that the recorder sets. */
  Gauge gauge(String name, String help, String... labelNames);

  /** A histogram with the given upper bounds (the {@code +Inf} bucket is implicit). */
  Histogram histogram(String name, String help, List<Double> buckets, String... labelNames);

  /** A summary without quantiles: {@code _count} and {@code _sum}. */
  Histogram summary(String name, String help, String... labelNames);

  /**
   * A gauge whose samples are produced at scrape time by {@code collect}, which calls {@link
   * Samples#sample} once per label combination.
   */
  void gaugeCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect);

  /** As {@link #gaugeCallback}, for counters kept elsewhere (for example by the logging). */
  void counterCallback(
      String name, String help, List<String> labelNames, Consumer<Samples> collect);

  /**
   * A histogram whose state is kept elsewhere and read at scrape time: {@code collect} calls {@link
   * HistogramSamples#sample} once per label combination with the cumulative count per bucket of
   * {@code buckets} (without {@code +Inf}), the total count and the sum.
   */
  void histogramCallback(
      String name,
      String help,
      List<Double> buckets,
      List<String> labelNames,
      Consumer<HistogramSamples> collect);

  /** Prometheus' text exposition format (version 0.0.4) of everything registered. */
  String scrape();

  /** The values a callback produces during one scrape. */
  interface Samples {
    void sample(double value, String... labelValues);
  }

  /** The histogram states a callback produces during one scrape. */
  interface HistogramSamples {
    void sample(List<Long> cumulativeCounts, long count, double sum, String... labelValues);
  }

  /** A counter family. */
  interface Counter {
    void inc(double amount, String... labelValues);

    default void inc(String... labelValues) {
      inc(1, labelValues);
    }
  }

  /** A gauge family. */
  interface Gauge {
    void set(double value, String... labelValues);
  }

  /** A histogram or summary family. */
  interface Histogram {
    void observe(double value, String... labelValues);
  }
}
