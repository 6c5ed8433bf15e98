package org.zrepl.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;

/**
 * The interactive view as a pure function: (what the daemon said, what the operator chose, the
 * terminal's size) to exactly {@code height} lines of at most {@code width} columns.
 *
 * <pre>
 * zrepl status: daemon zrepl-jvm 0.1.0, up since ...          (header)
 * jobs         | job backup (push): running                   (job list | detail pane)
 * &gt; backup     | last run ...   next snapshot ...
 *   snaps      | pool/a
 *              |   stepping [====&gt;   ] 1.0 MiB / 4.0 MiB ...
 * filter: ...                                                  (message line)
 * updated 12:00:01  q quit  j/k job  / filter  w wrap  s signal (bottom bar)
 * </pre>
 *
 * Lines longer than their pane are cut with an ellipsis, or wrapped at word boundaries when
 * wrapping is on; text from the daemon has its control characters replaced, so it cannot move the
 * cursor.
 */
public final class Screen {

  static final char ELLIPSIS = '\u2026';
  private static final int PROGRESS_BAR = 12;
  private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Screen() {}

  /**
   * What one frame shows besides the operator's choices.
   *
   * @param report the last report, empty before the first
   * @param before the report before it (for rates)
   * @param between the time between the two
   * @param connection whether the daemon answers
   * @param now the time of drawing
   * @param zone for times of day in the bar
   */
  public record Frame(
      Optional<StatusReport> report,
      Optional<StatusReport> before,
      Duration between,
      Connection connection,
      Instant now,
      ZoneId zone) {
    public Frame {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(between, "between");
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(now, "now");
      Objects.requireNonNull(zone, "zone");
    }
  }

  /** The names of the jobs the list shows, in the daemon's order. */
  public static List<String> jobs(Optional<StatusReport> report, UiState ui) {
    List<String> out = new ArrayList<>();
    report.ifPresent(
        r ->
            r.jobs().stream()
                .map(JobStatus::name)
                .filter(n -> !ui.onlyJob() || n.equals(ui.job()))
                .forEach(out::add));
    return out;
  }

  /** How many lines the detail pane has at this height (PgUp/PgDn scroll by that). */
  public static int bodyHeight(int height) {
    return Math.max(0, height - 3);
  }

  /** The frame's lines: exactly {@code height}, none wider than {@code width}. */
  public static List<String> render(Frame f, UiState ui, int width, int height) {
    List<String> jobs = jobs(f.report(), ui);
    String selected = Keys.selected(ui, jobs);
    List<String> lines = new ArrayList<>();
    lines.add(fit(header(f), width));
    int body = bodyHeight(height);
    int left =
        Math.min(
            Math.max(10, jobs.stream().mapToInt(String::length).max().orElse(0) + 3),
            Math.max(10, width / 3));
    int right = Math.max(1, width - left - 2);
    List<String> listPane = new ArrayList<>();
    listPane.add("jobs");
    for (String j : jobs) {
      listPane.add((j.equals(selected) ? "> " : "  ") + j);
    }
    if (jobs.isEmpty()) {
      listPane.add(f.report().isPresent() ? "  (none)" : "  ...");
    }
    List<String> detail = new ArrayList<>();
    Optional<JobStatus> job =
        f.report()
            .flatMap(r -> r.jobs().stream().filter(j -> j.name().equals(selected)).findFirst());
    if (ui.menuOpen() && job.isPresent()) {
      detail.addAll(menu(ui, job.get().name()));
    }
    List<String> content = new ArrayList<>();
    if (job.isPresent()) {
      content.addAll(detail(job.get(), f, ui));
    } else if (f.report().isEmpty()) {
      content.add("waiting for the daemon's first answer");
    } else if (ui.onlyJob()) {
      content.add("the daemon has no job named '" + clean(ui.job()) + "'");
    }
    List<String> shaped = new ArrayList<>();
    for (String l : content) {
      shaped.addAll(shape(l, right, ui.wrap()));
    }
    int from = Math.min(ui.scroll(), Math.max(0, shaped.size() - 1));
    List<String> pane = new ArrayList<>();
    for (String l : detail) {
      pane.add(fit(l, right));
    }
    pane.addAll(shaped.subList(from, shaped.size()));
    for (int i = 0; i < body; i++) {
      String l = i < listPane.size() ? fit(listPane.get(i), left) : "";
      String r = i < pane.size() ? pane.get(i) : "";
      lines.add((pad(l, left) + "| " + r).stripTrailing());
    }
    if (height >= 2) {
      lines.add(fit(messageLine(ui), width));
    }
    if (height >= 3) {
      lines.add(fit(bar(f), width));
    }
    while (lines.size() > height) {
      lines.remove(lines.size() - 1);
    }
    while (lines.size() < height) {
      lines.add("");
    }
    return lines;
  }

  private static String header(Frame f) {
    if (f.report().isEmpty()) {
      return "zrepl status";
    }
    StatusReport r = f.report().get();
    return "zrepl status: daemon zrepl-jvm "
        + clean(r.version())
        + ", up since "
        + clean(r.startedAt())
        + (r.configFile().isEmpty() ? "" : ", config " + clean(r.configFile()));
  }

  private static List<String> menu(UiState ui, String job) {
    List<String> out = new ArrayList<>();
    out.add("signal job " + clean(job) + ":");
    List<String> help =
        List.of(
            "replicate and prune now", "abort the current replication", "take snapshots now", "");
    for (int i = 0; i < UiState.MENU.size(); i++) {
      out.add((i == ui.menu() ? "  > " : "    ") + pad(UiState.MENU.get(i), 9) + " " + help.get(i));
    }
    out.add("(Enter sends, Esc closes)");
    out.add("");
    return out;
  }

  static List<String> detail(JobStatus j, Frame f, UiState ui) {
    List<String> out = new ArrayList<>();
    out.add("job " + clean(j.name()) + " (" + clean(j.type()) + "): " + clean(j.state()));
    out.add(
        "last run: "
            + or(j.lastRunAt(), "never")
            + "   next run: "
            + or(j.nextRunAt(), "not scheduled"));
    out.addAll(schedule(j));
    for (String e : j.errors()) {
      out.add("error: " + clean(e));
    }
    out.addAll(attempts(j.attempts(), Optional.of(f.now())));
    Optional<Pattern> filter = ui.pattern();
    Map<String, Long> previous = new HashMap<>();
    f.before()
        .flatMap(b -> b.jobs().stream().filter(x -> x.name().equals(j.name())).findFirst())
        .ifPresent(b -> b.datasets().forEach(d -> previous.put(d.filesystem(), d.bytes())));
    List<JobStatus.DatasetStatus> shown =
        j.datasets().stream().filter(d -> shows(filter, d.filesystem())).toList();
    out.add("");
    out.add(
        "filesystems: "
            + j.datasets().size()
            + (filter.isPresent()
                ? ", " + shown.size() + " match /" + clean(ui.filter()) + "/"
                : ""));
    out.addAll(progress(j, previous, f));
    for (JobStatus.DatasetStatus d : shown) {
      if (!d.planError().isEmpty()) {
        continue; // listed below with the plan errors: no step ran, so no step failed
      }
      // as zrepl, the filesystems a step is running on are marked
      out.add((d.state().equals("stepping") ? "* " : "") + clean(d.filesystem()));
      out.add("  " + row(d, previous.get(d.filesystem()), f));
      if (!d.detail().isEmpty()) {
        out.add("  " + clean(d.detail()));
      }
      if (!d.lastError().isEmpty()) {
        out.add("  last error: " + clean(d.lastError()));
      }
    }
    out.addAll(planErrors(shown, f.now()));
    if (j.snapshotting() != null) {
      out.addAll(RoundViews.snapshotting(j.snapshotting(), filter, Optional.of(f.now())));
    }
    for (JobStatus.Pruning p : j.pruning()) {
      out.addAll(RoundViews.pruning(p, filter));
    }
    if (j.type().equals("source") || !j.pullers().isEmpty()) {
      out.addAll(pullers(j.pullers(), filter, f.now()));
    }
    return out;
  }

  /**
   * The whole run of a replicating job while a step runs: filesystems done and stepping, the bytes
   * of the steps running and done against their estimates, the summed rate and the ETA.
   */
  static List<String> progress(JobStatus j, Map<String, Long> previous, Frame f) {
    List<JobStatus.DatasetStatus> stepping =
        j.datasets().stream().filter(d -> d.state().equals("stepping")).toList();
    if (stepping.isEmpty()) {
      return List.of();
    }
    long done = j.datasets().stream().filter(d -> d.state().equals("done")).count();
    long bytes = 0;
    long expected = 0;
    boolean unknownTotal = false;
    double rate = 0;
    boolean rated = false;
    for (JobStatus.DatasetStatus d : j.datasets()) {
      if (d.state().equals("done")) {
        bytes += d.bytes();
        expected += d.bytes();
      } else if (d.state().equals("stepping")) {
        bytes += d.bytes();
        unknownTotal |= d.expectedBytes() < 0;
        expected += Math.max(0, d.expectedBytes());
        Long before = previous.get(d.filesystem());
        if (before != null && !f.between().isZero() && before <= d.bytes()) {
          rate += (d.bytes() - before) * 1000.0 / f.between().toMillis();
          rated = true;
        }
      }
    }
    return List.of(
        "replication: "
            + done
            + " of "
            + j.datasets().size()
            + " filesystems done, "
            + stepping.size()
            + " stepping",
        "  "
            + StatusView.progress(
                bytes,
                unknownTotal ? -1 : expected,
                rated ? Optional.of(rate) : Optional.empty(),
                PROGRESS_BAR));
  }

  /**
   * The replication runs (zrepl's attempts), newest first, one line each: number, state, start, how
   * long it ran (or runs), and why it failed.
   */
  static List<String> attempts(List<JobStatus.Attempt> attempts, Optional<Instant> now) {
    if (attempts.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add("replication attempts (newest first):");
    for (int i = attempts.size() - 1; i >= 0; i--) {
      out.add("  " + attempt(attempts.get(i), now));
    }
    return out;
  }

  /** {@code #2 filesystem-error at 2026-...Z (ran 3s): 1 of 2 filesystems failed: ...}. */
  static String attempt(JobStatus.Attempt a, Optional<Instant> now) {
    StringBuilder s =
        new StringBuilder("#").append(a.number()).append(' ').append(clean(a.state()));
    s.append(" at ").append(or(a.startedAt(), "?"));
    boolean running = a.finishedAt().isEmpty();
    Optional<Duration> ran =
        running
            ? now.flatMap(n -> between(a.startedAt(), n))
            : end(a).flatMap(e -> between(a.startedAt(), e));
    if (ran.isPresent()) {
      s.append(running ? " (running " : " (ran ").append(age(ran.get())).append(')');
    } else if (running) {
      s.append(" (running)");
    }
    if (!a.error().isEmpty()) {
      s.append(": ").append(clean(a.error()));
    }
    return s.toString();
  }

  private static Optional<Instant> end(JobStatus.Attempt a) {
    try {
      return Optional.of(Instant.parse(a.finishedAt()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> between(String start, Instant to) {
    try {
      Duration d = Duration.between(Instant.parse(start), to);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The filesystems whose planning failed (a conflict): no step ran, so they are listed apart from
   * the filesystems whose steps ran or failed, each with its error and its lag.
   */
  static List<String> planErrors(List<JobStatus.DatasetStatus> shown, Instant now) {
    List<JobStatus.DatasetStatus> failed =
        shown.stream().filter(d -> !d.planError().isEmpty()).toList();
    if (failed.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add("");
    out.add(
        "plan errors: "
            + failed.size()
            + (failed.size() == 1 ? " filesystem" : " filesystems")
            + " not replicated");
    for (JobStatus.DatasetStatus d : failed) {
      out.add(
          "  "
              + clean(d.filesystem())
              + lag(d.newestReplicatedAt(), now).map(l -> "  lag " + l).orElse(""));
      String error = d.planError();
      String own = d.filesystem() + ": ";
      out.add("    " + clean(error.startsWith(own) ? error.substring(own.length()) : error));
    }
    return out;
  }

  /**
   * A source job's pullers: per client identity and filesystem the newest snapshot it replicated
   * and that snapshot's age (the puller's lag).
   */
  static List<String> pullers(
      List<JobStatus.Puller> pullers, Optional<Pattern> filter, Instant now) {
    List<String> out = new ArrayList<>();
    out.add("");
    if (pullers.isEmpty()) {
      out.add("pullers: none has completed a step since the daemon started");
      return out;
    }
    out.add("pullers: newest snapshot replicated (since the daemon started), lag");
    String client = null;
    for (JobStatus.Puller p : pullers) {
      if (!shows(filter, p.filesystem())) {
        continue;
      }
      if (!p.client().equals(client)) {
        client = p.client();
        out.add("  " + clean(client));
      }
      out.add(
          "    "
              + clean(p.filesystem())
              + "  @"
              + clean(p.snapshot())
              + lag(p.createdAt(), now).map(l -> "  lag " + l).orElse(""));
    }
    return out;
  }

  private static boolean shows(Optional<Pattern> filter, String fs) {
    return filter.map(p -> p.matcher(fs).find()).orElse(true);
  }

  /** {@code next snapshot: ...} and {@code next replication: ...} for jobs that do either. */
  static List<String> schedule(JobStatus j) {
    boolean replicates = List.of("push", "pull", "local").contains(j.type());
    List<String> parts = new ArrayList<>();
    if (!j.nextSnapshotAt().isEmpty()) {
      parts.add("next snapshot: " + clean(j.nextSnapshotAt()));
    }
    if (replicates) {
      parts.add(
          "next replication: "
              + (j.nextReplicationAt().isEmpty()
                  ? "on signal wakeup"
                  : clean(j.nextReplicationAt())));
    }
    return parts;
  }

  /** State, then progress while stepping (with rate and ETA), the sent bytes when done, lag. */
  static String row(JobStatus.DatasetStatus d, Long previousBytes, Frame f) {
    StringBuilder s = new StringBuilder(clean(d.state()));
    if (d.state().equals("done")) {
      if (d.bytes() > 0) {
        s.append("  ").append(StatusView.finished(d.bytes(), PROGRESS_BAR));
      }
    } else if (d.state().equals("stepping")) {
      Optional<Double> rate =
          previousBytes == null || f.between().isZero() || previousBytes > d.bytes()
              ? Optional.empty()
              : Optional.of((d.bytes() - previousBytes) * 1000.0 / f.between().toMillis());
      s.append("  ").append(StatusView.progress(d.bytes(), d.expectedBytes(), rate, PROGRESS_BAR));
    }
    lag(d.newestReplicatedAt(), f.now()).ifPresent(l -> s.append("  lag ").append(l));
    return s.toString();
  }

  /** The age of the newest replicated snapshot, e.g. {@code 3m12s}; empty when unknown. */
  static Optional<String> lag(String newestReplicatedAt, Instant now) {
    if (newestReplicatedAt.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.between(Instant.parse(newestReplicatedAt), now);
      return Optional.of(age(d.isNegative() ? Duration.ZERO : d));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static String age(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + s / 60 % 60 + "m";
    }
    return s / 86400 + "d" + s / 3600 % 24 + "h";
  }

  private static String messageLine(UiState ui) {
    if (ui.editing()) {
      return "filter (regex, Enter applies, Esc cancels): "
          + clean(ui.input())
          + "_"
          + (ui.message().isEmpty() ? "" : "  " + clean(ui.message()));
    }
    if (!ui.message().isEmpty()) {
      return clean(ui.message());
    }
    if (!ui.filter().isEmpty()) {
      return "filter /" + clean(ui.filter()) + "/  (/ edits, Esc clears)";
    }
    return "";
  }

  private static String bar(Frame f) {
    Connection c = f.connection();
    String keys = "q quit  j/k job  / filter  w wrap  s signal";
    if (c.downSince().isPresent()) {
      Instant since = c.downSince().get();
      return "DAEMON UNREACHABLE since "
          + time(since, f.zone())
          + " ("
          + age(Duration.between(since, f.now()))
          + "), retrying: "
          + clean(c.error());
    }
    if (c.backAt().isPresent()
        && c.wasDownSince().isPresent()
        && Duration.between(c.backAt().get(), f.now()).compareTo(Connection.BACK_NOTICE) < 0) {
      return "daemon reachable again at "
          + time(c.backAt().get(), f.zone())
          + " (unreachable since "
          + time(c.wasDownSince().get(), f.zone())
          + ")  "
          + keys;
    }
    if (c.updatedAt().isEmpty()) {
      return "connecting to the daemon ...  " + keys;
    }
    return "updated " + time(c.updatedAt().get(), f.zone()) + "  " + keys;
  }

  private static String time(Instant t, ZoneId zone) {
    return HH_MM_SS.format(LocalTime.ofInstant(t, zone));
  }

  /** One logical line as pane lines: cut with an ellipsis, or wrapped at word boundaries. */
  static List<String> shape(String line, int width, boolean wrap) {
    if (line.length() <= width) {
      return List.of(line);
    }
    if (!wrap) {
      return List.of(fit(line, width));
    }
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    String cont = " ".repeat(Math.min(indent + 2, Math.max(0, width / 2)));
    List<String> out = new ArrayList<>();
    String rest = line;
    String prefix = "";
    while (!rest.isEmpty()) {
      int room = width - prefix.length();
      String text = rest;
      if (text.length() <= room) {
        out.add(prefix + text);
        break;
      }
      int cut = text.lastIndexOf(' ', room);
      if (cut <= 0 || text.substring(0, cut).isBlank()) {
        cut = room; // a word longer than the line: break it
      }
      out.add((prefix + text.substring(0, cut)).stripTrailing());
      rest = text.substring(cut).stripLeading();
      prefix = cont;
    }
    return out;
  }

  /** At most {@code width} columns: longer lines end in an ellipsis. */
  static String fit(String s, int width) {
    if (width <= 0) {
      return "";
    }
    return s.length() <= width ? s : s.substring(0, width - 1) + ELLIPSIS;
  }

  /** Control characters (a newline in an error, an escape in a name) become {@code ?}. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  private static String or(String s, String fallback) {
    return s.isEmpty() ? fallback : clean(s);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
