package org.zrepl.app.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code global} section. Defaults are zrepl's: one stdout outlet at level warn in human
 * format, no monitoring, control socket {@code /var/run/zrepl/control}, stdinserver sockets in
 * {@code /var/run/zrepl/stdinserver}.
 */
public record Global(
    List<LoggingOutlet> logging,
    List<Monitoring> monitoring,
    Path controlSockpath,
    Path stdinserverSockdir) {

  public static final Path DEFAULT_CONTROL_SOCKPATH = Path.of("/var/run/zrepl/control");
  public static final Path DEFAULT_STDINSERVER_SOCKDIR = Path.of("/var/run/zrepl/stdinserver");

  public Global {
    logging = List.copyOf(logging);
    monitoring = List.copyOf(monitoring);
    Objects.requireNonNull(controlSockpath, "controlSockpath");
    Objects.requireNonNull(stdinserverSockdir, "stdinserverSockdir");
  }

  public static List<LoggingOutlet> defaultLogging() {
    return List.of(
        new LoggingOutlet.Stdout(LoggingOutlet.Level.WARN, LoggingOutlet.Format.HUMAN, true, true));
  }

  public static Global defaults() {
    return new Global(
        defaultLogging(), List.of(), DEFAULT_CONTROL_SOCKPATH, DEFAULT_STDINSERVER_SOCKDIR);
  }

  /** The {@code global.monitoring} entries; zrepl knows only Prometheus. */
  public sealed interface Monitoring {
    /** Serves metrics over HTTP at {@code listen} ({@code :9091}). */
    record Prometheus(String listen, boolean listenFreebind) implements Monitoring {
      public Prometheus {
        Objects.requireNonNull(listen, "listen");
      }
    }
  }
}
