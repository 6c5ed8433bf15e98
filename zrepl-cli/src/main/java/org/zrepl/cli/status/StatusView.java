package org.zrepl.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

/**
 * Renders a {@link StatusReport} as text: jobs, their filesystems, progress bars with bytes, rate
 * and time remaining (rate from the previous report of the live view), last errors, next run.
 */
public final class StatusView {

  static final int BAR = 24;

  private StatusView() {}

  public static String render(StatusReport now, Optional<StatusReport> before, Duration between) {
    return render(now, before, between, Optional.empty());
  }

  /** As above; {@code at} (the time of printing) gives a running attempt its duration so far. */
  public static String render(
      StatusReport now, Optional<StatusReport> before, Duration between, Optional<Instant> at) {
    Map<String, Long> previousBytes = new HashMap<>();
    before.ifPresent(
        b ->
            b.jobs()
                .forEach(j -> j.datasets().forEach(d -> previousBytes.put(key(j, d), d.bytes()))));
    StringBuilder s = new StringBuilder();
    s.append("daemon zrepl-jvm ")
        .append(now.version())
        .append(", up since ")
        .append(now.startedAt());
    if (!now.configFile().isEmpty()) {
      s.append(", config ").append(now.configFile());
    }
    s.append('\n');
    if (now.jobs().isEmpty()) {
      s.append("\nno jobs\n");
    }
    for (JobStatus j : now.jobs()) {
      s.append('\n')
          .append("job ")
          .append(j.name())
          .append(" (")
          .append(j.type())
          .append("): ")
          .append(j.state())
          .append('\n');
      s.append("  last run: ").append(or(j.lastRunAt(), "never"));
      s.append("   next run: ").append(or(j.nextRunAt(), "not scheduled")).append('\n');
      for (String e : j.errors()) {
        s.append("  error: ").append(e).append('\n');
      }
      for (int i = j.attempts().size() - 1; i >= 0; i--) {
        s.append("  attempt ").append(Screen.attempt(j.attempts().get(i), at)).append('\n');
      }
      int width = j.datasets().stream().mapToInt(d -> d.filesystem().length()).max().orElse(0);
      for (JobStatus.DatasetStatus d : j.datasets()) {
        if (!d.planError().isEmpty()) {
          continue; // below, with the plan errors
        }
        StringBuilder line = new StringBuilder();
        line.append("  ")
            .append(pad(d.filesystem(), width))
            .append("  ")
            .append(pad(d.state(), 11));
        if (d.state().equals("done")) {
          if (d.bytes() > 0) {
            line.append("  ").append(finished(d.bytes()));
          }
        } else if (d.state().equals("stepping") || d.expectedBytes() > 0) {
          Long prev = previousBytes.get(key(j, d));
          Optional<Double> rate =
              !d.state().equals("stepping") || prev == null || between.isZero() || prev > d.bytes()
                  ? Optional.empty()
                  : Optional.of((d.bytes() - prev) * 1000.0 / between.toMillis());
          line.append("  ").append(progress(d.bytes(), d.expectedBytes(), rate));
        }
        if (!d.detail().isEmpty()) {
          line.append("  ").append(d.detail());
        }
        s.append(line.toString().stripTrailing()).append('\n');
        if (!d.lastError().isEmpty()) {
          s.append("  ")
              .append(pad("", width))
              .append("  last error: ")
              .append(d.lastError())
              .append('\n');
        }
      }
      for (JobStatus.DatasetStatus d : j.datasets()) {
        if (!d.planError().isEmpty()) {
          s.append("  ")
              .append(pad(d.filesystem(), width))
              .append("  plan error: ")
              .append(d.planError())
              .append('\n');
        }
      }
      rounds(j, at, s);
    }
    return s.toString();
  }

  /** The snapshotter's state and each side's prune run, one line each. */
  private static void rounds(JobStatus j, Optional<Instant> at, StringBuilder s) {
    JobStatus.Snapshotting snaps = j.snapshotting();
    if (snaps != null && !snaps.state().isEmpty()) {
      s.append("  snapshotter: ").append(RoundViews.snapper(snaps, at));
      if (!snaps.error().isEmpty()) {
        s.append(": ").append(snaps.error());
      }
      s.append('\n');
    }
    for (JobStatus.Pruning p : j.pruning()) {
      s.append("  ").append(RoundViews.pruningLine(p)).append('\n');
    }
  }

  /**
   * {@code [=========> ] 12.0 MiB / 40.0 MiB 1.2 MiB/s ETA 0:23}; without the sender's estimate (an
   * incremental step on zfs-fuse) {@code [ ] 12.0 MiB / unknown total 1.2 MiB/s}.
   */
  static String progress(long bytes, long expected, Optional<Double> rate) {
    return progress(bytes, expected, rate, BAR);
  }

  /** As {@link #progress(long, long, Optional)} with a bar of {@code bar} columns. */
  static String progress(long bytes, long expected, Optional<Double> rate, int bar) {
    StringBuilder s = new StringBuilder("[");
    int filled = expected > 0 ? (int) Math.min(bar, bytes * bar / expected) : 0;
    for (int i = 0; i < bar; i++) {
      s.append(i < filled ? '=' : i == filled && expected > 0 ? '>' : ' ');
    }
    s.append("] ").append(bytes(bytes));
    s.append(" / ").append(expected > 0 ? bytes(expected) : "unknown total");
    if (rate.isPresent()) {
      s.append("  ").append(bytes(Math.round(rate.get()))).append("/s");
      if (expected > bytes && rate.get() > 0) {
        long secs = (long) Math.ceil((expected - bytes) / rate.get());
        s.append("  ETA ").append(duration(secs));
      }
    }
    return s.toString();
  }

  /**
   * A finished filesystem: a full bar and what was sent, whatever the sender estimated (estimates
   * are approximate; a half bar and an ETA on a done step would say it is still running).
   */
  static String finished(long bytes) {
    return finished(bytes, BAR);
  }

  /** As {@link #finished(long)} with a bar of {@code bar} columns. */
  static String finished(long bytes, int bar) {
    return "[" + "=".repeat(bar) + "] " + bytes(bytes) + " sent";
  }

  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** A short duration, e.g. {@code 0.4s}, {@code 12.0s}. */
  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  static String duration(long secs) {
    long h = secs / 3600;
    long m = secs / 60 % 60;
    long sec = secs % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }

  private static String key(JobStatus j, JobStatus.DatasetStatus d) {
    return j.name() + "\0" + d.filesystem();
  }

  private static String or(String s, String fallback) {
    return s.isEmpty() ? fallback : s;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
