package org.zrepl.transport.prometheus;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.zrepl.port.metrics.MetricsRegistry;

/** A classic histogram whose buckets are counted elsewhere and read at scrape time. */
final class HistogramCallback implements Collector {

  private final String name;
  private final String help;
  private final double[] bounds;
  private final String[] labelNames;
  private final Consumer<MetricsRegistry.HistogramSamples> collect;

  HistogramCallback(
      String name,
      String help,
      List<Double> buckets,
      List<String> labelNames,
      Consumer<MetricsRegistry.HistogramSamples> collect) {
    this.name = name;
    this.help = help;
    this.bounds = new double[buckets.size() + 1];
    for (int i = 0; i < buckets.size(); i++) {
      bounds[i] = buckets.get(i);
    }
    bounds[buckets.size()] = Double.POSITIVE_INFINITY;
    this.labelNames = labelNames.toArray(String[]::new);
    this.collect = collect;
    HistogramSnapshot.builder().name(name).help(help).build(); // validates the name now
  }

  @Override
  public MetricSnapshot collect() {
    List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
    collect.accept(
        (cumulative, count, sum, values) -> points.add(point(cumulative, count, sum, values)));
    HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    return b.build();
  }

  private HistogramSnapshot.HistogramDataPointSnapshot point(
      List<Long> cumulative, long count, double sum, String... values) {
    if (cumulative.size() != bounds.length - 1) {
      throw new IllegalArgumentException(
          name + ": expected " + (bounds.length - 1) + " bucket counts, got " + cumulative.size());
    }
    long[] perBucket = new long[bounds.length];
    long previous = 0;
    for (int i = 0; i < cumulative.size(); i++) {
      perBucket[i] = cumulative.get(i) - previous;
      previous = cumulative.get(i);
    }
    perBucket[bounds.length - 1] = count - previous;
    return HistogramSnapshot.HistogramDataPointSnapshot.builder()
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
        .labels(Labels.of(labelNames, values))
        .sum(sum)
        .build();
  }
}
