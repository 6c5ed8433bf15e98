package org.zrepl.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.zrepl.app.daemon.JobStatus;

/**
 * The snapshotting and pruning sections of a job: the snapshotter's state (zrepl's snapper states,
 * sleeping until when, its error) and its last round; each side's prune run in zrepl's pruner
 * states, while it runs with the snapshots destroyed of those planned and the filesystems pending
 * and completed. Pure functions, for the interactive view ({@link Screen}) and the dump ({@link
 * StatusView}).
 */
final class RoundViews {

  private static final int BAR = 12;

  private RoundViews() {}

  /** The snapshotting section of the interactive view. */
  static List<String> snapshotting(
      JobStatus.Snapshotting s, Optional<Pattern> filter, Optional<Instant> now) {
    List<String> out = new ArrayList<>();
    out.add("");
    String last =
        s.at().isEmpty()
            ? "no round yet"
            : "last round "
                + Screen.clean(s.at())
                + " (took "
                + StatusView.seconds(s.millis())
                + ")";
    if (s.state().isEmpty()) {
      out.add("snapshotting: " + last); // manual, or a daemon that does not say
    } else {
      out.add("snapshotting: " + snapper(s, now));
      if (!s.error().isEmpty()) {
        out.add("  error: " + Screen.clean(s.error()));
      }
      out.add("  " + last);
    }
    for (JobStatus.SnapshotResult r : s.filesystems()) {
      if (shows(filter, r.filesystem())) {
        out.add(
            "  "
                + Screen.clean(r.filesystem())
                + "  "
                + (r.outcome().equals("taken")
                    ? "@" + Screen.clean(r.snapshot())
                    : Screen.clean(r.outcome()) + ": " + Screen.clean(r.detail())));
        if (!r.hooks().isEmpty()) {
          out.add("    hooks: " + Screen.clean(r.hooks()));
        }
      }
    }
    return out;
  }

  /** {@code Waiting until 2026-...Z (in 59m12s)}, {@code Snapshotting}, {@code Stopped}. */
  static String snapper(JobStatus.Snapshotting s, Optional<Instant> now) {
    StringBuilder b = new StringBuilder(Screen.clean(s.state()));
    if (!s.sleepUntil().isEmpty()) {
      b.append(" until ").append(Screen.clean(s.sleepUntil()));
      now.flatMap(n -> left(s.sleepUntil(), n))
          .ifPresent(d -> b.append(d.isZero() ? " (due)" : " (in " + Screen.age(d) + ")"));
    }
    return b.toString();
  }

  private static Optional<Duration> left(String until, Instant now) {
    try {
      Duration d = Duration.between(now, Instant.parse(until));
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** One side's pruning section of the interactive view. */
  static List<String> pruning(JobStatus.Pruning p, Optional<Pattern> filter) {
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("pruning " + Screen.clean(p.side()) + ": " + headline(p));
    if (p.state().equals("Exec")) {
      int planned = p.filesystems().stream().mapToInt(JobStatus.PruneResult::toDestroy).sum();
      out.add("  " + bar(destroyed(p), planned) + " destroyed " + destroyed(p) + " of " + planned);
    }
    for (JobStatus.PruneResult r : p.filesystems()) {
      if (shows(filter, r.filesystem())) {
        out.add("  " + Screen.clean(r.filesystem()) + "  " + row(r, p.state().equals("Exec")));
      }
    }
    return out;
  }

  /** The dump's line of one side: the headline, and while it runs the snapshots destroyed. */
  static String pruningLine(JobStatus.Pruning p) {
    String line = "pruning " + p.side() + ": " + headline(p);
    if (p.state().equals("Exec")) {
      int planned = p.filesystems().stream().mapToInt(JobStatus.PruneResult::toDestroy).sum();
      line += ", destroyed " + destroyed(p) + " of " + planned + " planned";
    }
    return line;
  }

  /**
   * {@code Plan (listing and planning)}, {@code PlanErr: why}, {@code Exec, 1 of 3 filesystems
   * completed, 2 pending}, {@code Done, destroyed 2 of 8 snapshots in 2 filesystems}.
   */
  static String headline(JobStatus.Pruning p) {
    String state = Screen.clean(p.state());
    if (p.state().equals("Plan")) {
      return state + " (listing and planning)";
    }
    if (p.state().equals("PlanErr")) {
      return state + ": " + Screen.clean(p.error());
    }
    if (p.state().equals("Exec")) {
      long completed = p.filesystems().stream().filter(JobStatus.PruneResult::completed).count();
      return state
          + ", "
          + completed
          + " of "
          + p.filesystems().size()
          + " filesystems completed, "
          + (p.filesystems().size() - completed)
          + " pending";
    }
    int total = p.filesystems().stream().mapToInt(JobStatus.PruneResult::total).sum();
    return (state.isEmpty() ? "" : state + ", ")
        + "destroyed "
        + destroyed(p)
        + " of "
        + total
        + " snapshots in "
        + p.filesystems().size()
        + " filesystems";
  }

  /**
   * {@code 2/5}, {@code 0/3 failed 1: @x: busy}, or while the run executes ({@code exec}) {@code
   * pending: destroy 3 of 7} (a daemon before schema 2 sends finished runs only).
   */
  static String row(JobStatus.PruneResult r, boolean exec) {
    if (exec && !r.completed()) {
      return "pending: destroy " + r.toDestroy() + " of " + r.total();
    }
    return r.destroyed()
        + "/"
        + r.total()
        + (r.failed() > 0 ? "  failed " + r.failed() + ": " + Screen.clean(r.error()) : "");
  }

  private static int destroyed(JobStatus.Pruning p) {
    return p.filesystems().stream().mapToInt(JobStatus.PruneResult::destroyed).sum();
  }

  /** {@code [=====> ]}: {@code done} of {@code total}. */
  static String bar(int done, int total) {
    int filled = total > 0 ? Math.min(BAR, done * BAR / total) : BAR;
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < BAR; i++) {
      s.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    return s.append(']').toString();
  }

  private static boolean shows(Optional<Pattern> filter, String fs) {
    return filter.map(p -> p.matcher(fs).find()).orElse(true);
  }
}
