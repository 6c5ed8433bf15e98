package org.zrepl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.zrepl.app.daemon.StatusReport;
import org.zrepl.port.transport.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zrepl status}: the daemon's jobs. In a terminal a live view that redraws in place every
 * {@code --interval}; {@code --mode dump} prints once (also when stdout is not a terminal), {@code
 * --mode raw} prints the daemon's JSON.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the daemon's jobs.")
final class StatusCommand implements Callable<Integer> {

  enum Mode {
    interactive,
    dump,
    raw
  }

  /** ANSI: cursor home, clear to the end of the screen. */
  static final String REDRAW = "\033[H\033[J";

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
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "PT1S",
      description = "refresh interval of the live view, ISO-8601 (default: PT1S)",
      converter = DurationConverter.class)
  Duration interval;

  StatusCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() throws InterruptedException, JsonProcessingException {
    Main.CliContext ctx = top.context();
    Path socket = Daemons.socket(top);
    Mode m = mode != null ? mode : ctx.terminal() ? Mode.interactive : Mode.dump;
    PrintWriter out = ctx.out();
    switch (m) {
      case raw -> out.println(json().writeValueAsString(fetch(socket)));
      case dump ->
          out.print(StatusView.render(report(fetch(socket)), Optional.empty(), Duration.ZERO));
      case interactive -> live(socket, out, ctx);
    }
    out.flush();
    return 0;
  }

  private void live(Path socket, PrintWriter out, Main.CliContext ctx)
      throws InterruptedException, JsonProcessingException {
    Optional<StatusReport> before = Optional.empty();
    Instant beforeAt = ctx.clock().instant();
    while (!Thread.currentThread().isInterrupted()) {
      StatusReport now = report(fetch(socket));
      Instant at = ctx.clock().instant();
      out.print(REDRAW);
      out.print(StatusView.render(now, before, Duration.between(beforeAt, at)));
      out.print("\n(refreshing every " + interval.toMillis() + " ms; Ctrl-C to quit)\n");
      out.flush();
      before = Optional.of(now);
      beforeAt = at;
      TimeUnit.MILLISECONDS.sleep(interval.toMillis()); // the refresh rate of a live view
    }
  }

  private static JsonNode fetch(Path socket) {
    return Daemons.call(socket, ControlRequest.of("status"));
  }

  private StatusReport report(JsonNode body) throws JsonProcessingException {
    return json().treeToValue(body, StatusReport.class);
  }

  /** ISO-8601 durations for picocli. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Duration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("interval must be positive, got " + value);
      }
      return d;
    }
  }
}
