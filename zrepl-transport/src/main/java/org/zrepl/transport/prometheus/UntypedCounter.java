package org.zrepl.transport.prometheus;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import org.zrepl.port.metrics.MetricsRegistry;

/**
 * A counter exposed under its exact name with type {@code untyped}: zrepl's counters whose names
 * lack the {@code _total} suffix that the Java client's counters always get. Values only go up.
 */
final class UntypedCounter implements MetricsRegistry.Counter, Collector {

  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, DoubleAdder> values = new ConcurrentHashMap<>();

  UntypedCounter(String name, String help, List<String> labelNames) {
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
    build(List.of()); // validates the name and label names now, not at the first scrape
  }

  @Override
  public void inc(double amount, String... labelValues) {
    if (amount < 0) {
      throw new IllegalArgumentException(
          "counter " + name + " can only go up, got an increment of " + amount);
    }
    values
        .computeIfAbsent(labelValues(labelNames, labelValues), k -> new DoubleAdder())
        .add(amount);
  }

  @Override
  public MetricSnapshot collect() {
    List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>();
    values.forEach((lv, v) -> points.add(point(lv, v.sum())));
    return build(points);
  }

  private UnknownSnapshot build(List<UnknownSnapshot.UnknownDataPointSnapshot> points) {
    UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    return b.build();
  }

  private UnknownSnapshot.UnknownDataPointSnapshot point(List<String> lv, double value) {
    return UnknownSnapshot.UnknownDataPointSnapshot.builder()
        .labels(Labels.of(labelNames.toArray(String[]::new), lv.toArray(String[]::new)))
        .value(value)
        .build();
  }

  static List<String> labelValues(List<String> names, String... values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(
          "expected " + names.size() + " label values " + names + ", got " + values.length);
    }
    return List.of(values);
  }

  /** The same exposition, with values produced at scrape time (counters kept elsewhere). */
  static final class Callback implements Collector {
    private final UntypedCounter shape;
    private final Consumer<MetricsRegistry.Samples> collect;

    Callback(
        String name,
        String help,
        List<String> labelNames,
        Consumer<MetricsRegistry.Samples> collect) {
      this.shape = new UntypedCounter(name, help, labelNames);
      this.collect = collect;
    }

    @Override
    public MetricSnapshot collect() {
      List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>();
      collect.accept(
          (value, lv) -> points.add(shape.point(labelValues(shape.labelNames, lv), value)));
      return shape.build(points);
    }
  }
}
