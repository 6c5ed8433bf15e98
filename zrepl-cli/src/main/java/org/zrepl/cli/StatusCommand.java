package org.zrepl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.daemon.JobStatus;
import org.zrepl.app.daemon.StatusReport;
import org.zrepl.cli.status.InteractiveStatus;
import org.zrepl.cli.status.StatusView;
import org.zrepl.cli.status.UiState;
import org.zrepl.port.transport.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zrepl status}: the daemon's jobs. In a terminal a full-screen interactive view ({@link
 * InteractiveStatus}); {@code --mode dump} prints once (also when stdout is not a terminal), {@code
 * --mode raw} prints the daemon's JSON (schema in docs/status.md).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the daemon's jobs.",
      "In a terminal: a job list and a detail pane. Keys: up/down or j/k switch job, PgUp/PgDn"
          + " scroll, / filters filesystems by a regular expression (Esc clears), w toggles"
          + " wrapping, s or Enter opens the signal menu (wakeup, reset, snapshot), q quits."
          + " Per job: its next snapshot and replication, its last replication runs (attempts)"
          + " with their errors, per filesystem its state, progress and lag, the filesystems"
          + " whose planning failed (conflicts) apart, the last snapshot and prune runs.",
      "Not a terminal, or --mode dump: the same once as plain text. --mode raw: the JSON"
          + " (documented in docs/status.md, with a schema version).",
      "",
      "Examples:",
      "  zrepl status                       # the interactive view",
      "  zrepl status --job backup -d 5s    # one job, refreshed every 5 seconds",
      "  zrepl status --mode raw | jq '.jobs[] | {name, state, errors}'"
    })
final class StatusCommand implements Callable<Integer> {

  enum Mode {
    interactive,
    dump,
    raw
  }

  private final ZreplCommand top;

  /**
   * Made on first use: picocli builds every subcommand for each invocation, and Jackson's few
   * hundred classes would otherwise slow down the start of every client command.
   */
  private ObjectMapper json;

  private ObjectMapper json() {
    if (json == null) {
      json = new ObjectMapper();
    }
    return json;
  }

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "interactive (default in a terminal), dump or raw")
  Mode mode;

  @Option(
      names = {"-d", "--delay", "--interval"},
      paramLabel = "DURATION",
      defaultValue = "1s",
      description =
          "refresh interval of the interactive view, as zrepl writes it (500ms, 1s, 2m) or"
              + " ISO-8601 (PT1S); default: 1s. --interval is the older name",
      converter = DurationConverter.class)
  Duration interval;

  @Option(
      names = "--job",
      paramLabel = "JOB",
      description = "show only this job (dump and interactive; raw shows all)")
  String job;

  StatusCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() throws IOException {
    Main.CliContext ctx = top.context();
    Path socket = Daemons.socket(top);
    Mode m = mode != null ? mode : ctx.terminal() ? Mode.interactive : Mode.dump;
    PrintWriter out = ctx.out();
    switch (m) {
      case raw -> out.println(json().writeValueAsString(fetch(socket)));
      case dump ->
          out.print(
              StatusView.render(
                  only(report(fetch(socket))),
                  Optional.empty(),
                  Duration.ZERO,
                  Optional.of(ctx.clock().instant())));
      case interactive -> {
        out.flush();
        new InteractiveStatus(
                daemon(socket), interval, ctx.clock(), UiState.initial(Optional.ofNullable(job)))
            .run();
      }
    }
    out.flush();
    return 0;
  }

  private StatusReport only(StatusReport r) {
    if (job == null) {
      return r;
    }
    List<JobStatus> jobs = r.jobs().stream().filter(j -> j.name().equals(job)).toList();
    if (jobs.isEmpty()) {
      throw new CliException("the daemon has no job named '" + job + "'");
    }
    return new StatusReport(r.version(), r.startedAt(), r.configFile(), jobs);
  }

  private InteractiveStatus.Daemon daemon(Path socket) {
    return new InteractiveStatus.Daemon() {
      @Override
      public StatusReport status() {
        try {
          return report(fetch(socket));
        } catch (JsonProcessingException e) {
          throw new CliException(
              "the daemon's status could not be read: " + e.getOriginalMessage());
        }
      }

      @Override
      public String signal(String signal, String job) {
        JsonNode answer = Daemons.call(socket, ControlRequest.of("signal", signal, job));
        // the daemon answers {"signal": ..., "job": ...} once the job has it
        return answer != null && answer.has("signal") ? "delivered" : "answered " + answer;
      }
    };
  }

  private static JsonNode fetch(Path socket) {
    return Daemons.call(socket, ControlRequest.of("status"));
  }

  private StatusReport report(JsonNode body) throws JsonProcessingException {
    return json().treeToValue(body, StatusReport.class);
  }

  /** zrepl's durations ({@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}) or ISO-8601. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    private static final java.util.regex.Pattern GO =
        java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      Duration d;
      java.util.regex.Matcher m = GO.matcher(value);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            };
      } else {
        try {
          d = Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalArgumentException(
              "delay must be a duration such as 500ms, 1s, 2m or PT1S, got " + value, e);
        }
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("delay must be positive, got " + value);
      }
      return d;
    }
  }
}
