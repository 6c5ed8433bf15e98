package org.zrepl.app.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.logging.LogContext;
import org.zrepl.port.transport.control.ControlHandler;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

/**
 * What each control request does: {@code status} (a {@link StatusReport}), {@code version}, {@code
 * signal wakeup|reset|snapshot JOB}. Refusals are answered as errors naming what was wrong.
 */
public final class ControlService implements ControlHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ControlService.class);
  private static final List<String> SIGNALS = List.of("wakeup", "reset", "snapshot");

  private final Daemon daemon;
  private final String version;
  private final Instant startedAt;
  private final Optional<Path> configFile;
  private final ObjectMapper json = new ObjectMapper();

  public ControlService(
      Daemon daemon, String version, Instant startedAt, Optional<Path> configFile) {
    this.daemon = Objects.requireNonNull(daemon, "daemon");
    this.version = Objects.requireNonNull(version, "version");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.configFile = Objects.requireNonNull(configFile, "configFile");
  }

  public StatusReport status() {
    return new StatusReport(
        version,
        startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
        configFile.map(Path::toString).orElse(""),
        daemon.statuses());
  }

  @Override
  public ControlResponse handle(ControlRequest request) {
    try (LogContext ctx = LogContext.of(null, "control")) {
      return switch (request.command()) {
        case "status" -> ControlResponse.ok(text(json.valueToTree(status())));
        case "version" -> {
          ObjectNode n = json.createObjectNode();
          n.put("version", version);
          n.put("java", System.getProperty("java.version"));
          yield ControlResponse.ok(text(n));
        }
        case "signal" -> signal(request.args());
        default ->
            ControlResponse.error(
                "unknown control command '"
                    + request.command()
                    + "', expected status, signal or version");
      };
    }
  }

  private ControlResponse signal(List<String> args) {
    if (args.size() != 2 || !SIGNALS.contains(args.get(0))) {
      return ControlResponse.error(
          "signal needs one of " + SIGNALS + " and a job name, got " + args);
    }
    String signal = args.get(0);
    String name = args.get(1);
    Optional<JobRuntime> job = daemon.job(name);
    if (job.isEmpty()) {
      return ControlResponse.error(
          "no job named '" + name + "' (jobs: " + String.join(", ", daemon.jobNames()) + ")");
    }
    try {
      switch (signal) {
        case "wakeup" -> job.get().wakeup();
        case "reset" -> job.get().reset();
        default -> job.get().snapshotNow();
      }
    } catch (SignalRefusedException e) {
      return ControlResponse.error(e.getMessage());
    }
    LOG.atInfo().addKeyValue("target", name).log("signal {} delivered", signal);
    ObjectNode n = json.createObjectNode();
    n.put("signal", signal);
    n.put("job", name);
    return ControlResponse.ok(text(n));
  }

  /** The body as JSON text, as the control socket puts it on the wire. */
  private static String text(com.fasterxml.jackson.databind.JsonNode body) {
    return body.toString();
  }
}
