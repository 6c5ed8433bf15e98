package org.zrepl.app.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.zrepl.app.job.Invocation;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * What a replicating job's invocations add up to, for {@code /metrics}: when replication last
 * succeeded, how long replication and pruning took (histograms with Prometheus' default buckets, as
 * zrepl's), bytes replicated per filesystem, and the newest snapshot on the receiver per
 * filesystem. Thread-safe: invocations record on the job's thread, scrapes read a {@link Snapshot}.
 */
public final class JobMetrics {

  /** Prometheus' default buckets (client_golang's DefBuckets), which zrepl's histograms use. */
  static final List<Double> BUCKETS =
      List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

  private Instant lastSuccessful;
  private long filesystemErrors;
  private final Map<String, Histogram> replicationTime = new TreeMap<>();
  private final Map<String, Histogram> pruneTime = new TreeMap<>();
  private final Map<DatasetPath, Long> bytes = new TreeMap<>();
  private final Map<DatasetPath, Instant> newest = new TreeMap<>();

  /**
   * One histogram's state.
   *
   * @param buckets cumulative counts per {@link #BUCKETS} upper bound
   */
  public record Histogram(List<Long> buckets, double sum, long count) {
    public Histogram {
      buckets = List.copyOf(buckets);
      if (buckets.size() != BUCKETS.size()) {
        throw new IllegalArgumentException(
            "buckets must have " + BUCKETS.size() + " counts, got " + buckets.size());
      }
    }

    static final Histogram EMPTY =
        new Histogram(java.util.Collections.nCopies(BUCKETS.size(), 0L), 0, 0);

    Histogram observe(Duration d) {
      double secs = d.toNanos() / 1e9;
      Long[] next = buckets.toArray(Long[]::new);
      for (int i = 0; i < next.length; i++) {
        if (secs <= BUCKETS.get(i)) {
          next[i]++;
        }
      }
      return new Histogram(Arrays.asList(next), sum + secs, count + 1);
    }
  }

  /**
   * What a scrape sees.
   *
   * @param filesystemErrors {@link Invocation#filesystemErrors()} of the latest invocation, 0
   *     before the first; empty for jobs that do not replicate actively (no gauge, as in zrepl)
   */
  public record Snapshot(
      OptionalLong filesystemErrors,
      Optional<Instant> lastSuccessful,
      Map<String, Histogram> replicationTime,
      Map<String, Histogram> pruneTime,
      Map<DatasetPath, Long> bytesReplicated,
      Map<DatasetPath, Instant> newestReplicated) {
    public Snapshot {
      Objects.requireNonNull(filesystemErrors, "filesystemErrors");
      Objects.requireNonNull(lastSuccessful, "lastSuccessful");
      replicationTime = Map.copyOf(replicationTime);
      pruneTime = Map.copyOf(pruneTime);
      bytesReplicated = Map.copyOf(bytesReplicated);
      newestReplicated = Map.copyOf(newestReplicated);
    }

    static final Snapshot NONE =
        new Snapshot(
            OptionalLong.empty(), Optional.empty(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * Adds one invocation. Its replication time counts under its {@link #attemptState}; when every
   * filesystem succeeded it also sets the last-successful time to its end.
   */
  synchronized void record(Invocation i) {
    boolean ok = i.replication().isSuccess();
    filesystemErrors = i.filesystemErrors();
    if (ok) {
      lastSuccessful = i.replication().finished();
    }
    replicationTime.merge(
        attemptState(i),
        Histogram.EMPTY.observe(i.replicationTime()),
        (a, b) -> a.observe(i.replicationTime()));
    i.senderPruneTime().ifPresent(d -> observePrune("sender", d));
    i.receiverPruneTime().ifPresent(d -> observePrune("receiver", d));
    for (FilesystemResult r : i.replication().results()) {
      if (r instanceof FilesystemResult.Ok o && o.bytes() > 0) {
        bytes.merge(o.filesystem(), o.bytes(), Long::sum);
      }
    }
    newest.putAll(i.newestReplicated());
  }

  /**
   * zrepl's final attempt states: {@code done}; {@code planning-error} when the attempt failed
   * before enumerating the filesystems; {@code filesystem-error} when some filesystem failed.
   */
  static String attemptState(Invocation i) {
    if (i.replication().isSuccess()) {
      return "done";
    }
    return i.filesystemErrors() < 0 ? "planning-error" : "filesystem-error";
  }

  private void observePrune(String side, Duration d) {
    pruneTime.merge(side, Histogram.EMPTY.observe(d), (a, b) -> a.observe(d));
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(
        OptionalLong.of(filesystemErrors),
        Optional.ofNullable(lastSuccessful),
        new TreeMap<>(replicationTime),
        new TreeMap<>(pruneTime),
        bytes,
        newest);
  }
}
