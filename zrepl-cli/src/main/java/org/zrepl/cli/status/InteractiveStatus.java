package org.zrepl.cli.status;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.zrepl.app.daemon.StatusReport;

/**
 * The interactive {@code zrepl status} on a real terminal (JLine): the alternate screen in raw
 * mode, a redraw after every key and every {@code delay}, the daemon asked every {@code delay}. The
 * terminal is restored on every way out: {@code q}, Ctrl-C (read as a key: signals are off in raw
 * mode), an exception, and a JVM shutdown (SIGTERM, SIGHUP) through a shutdown hook.
 */
public final class InteractiveStatus {

  /** Asks the daemon; throws with a message for the bar when it cannot be reached. */
  public interface Daemon {
    StatusReport status();

    /** Sends a signal; returns the daemon's answer for the message line. */
    String signal(String signal, String job);
  }

  private static final long ESCAPE_WAIT_MS = 40;

  private final Daemon daemon;
  private final Duration delay;
  private final Clock clock;
  private UiState ui;

  public InteractiveStatus(Daemon daemon, Duration delay, Clock clock, UiState initial) {
    this.daemon = daemon;
    this.delay = delay;
    this.clock = clock;
    this.ui = initial;
  }

  /** Runs until the operator quits. */
  public void run() throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      Attributes saved = terminal.enterRawMode();
      Attributes raw = terminal.getAttributes();
      raw.setLocalFlag(Attributes.LocalFlag.ISIG, false); // Ctrl-C arrives as a key
      terminal.setAttributes(raw);
      Thread restore = new Thread(() -> restore(terminal, saved), "zrepl-status-restore");
      Runtime.getRuntime().addShutdownHook(restore);
      try {
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        loop(terminal);
      } finally {
        restore(terminal, saved);
        try {
          Runtime.getRuntime().removeShutdownHook(restore);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook restores (again; restoring twice is harmless)
        }
      }
    }
  }

  private void loop(Terminal terminal) throws IOException {
    NonBlockingReader in = terminal.reader();
    Optional<StatusReport> report = Optional.empty();
    Optional<StatusReport> before = Optional.empty();
    Duration between = Duration.ZERO;
    Instant reportAt = clock.instant();
    Connection connection = Connection.connecting();
    Instant nextFetch = clock.instant();
    boolean asciiOnly = !canEncodeEllipsis(terminal.encoding());
    while (true) {
      Instant now = clock.instant();
      if (!now.isBefore(nextFetch)) {
        try {
          StatusReport r = daemon.status();
          before = report;
          between = Duration.between(reportAt, now);
          report = Optional.of(r);
          reportAt = now;
          connection = connection.answered(now);
        } catch (RuntimeException e) {
          connection = connection.failed(now, String.valueOf(e.getMessage()));
        }
        nextFetch = now.plus(delay);
      }
      Size size = terminal.getSize();
      int width = size.getColumns() > 0 ? size.getColumns() : 80;
      int height = size.getRows() > 0 ? size.getRows() : 24;
      Screen.Frame frame =
          new Screen.Frame(report, before, between, connection, clock.instant(), clock.getZone());
      draw(terminal, Screen.render(frame, ui, width, height), asciiOnly);
      long wait = Math.max(1, Duration.between(clock.instant(), nextFetch).toMillis());
      int c = in.read(wait);
      if (c < 0) {
        continue; // timeout (-2) or end of input (-1): time to refresh
      }
      Optional<String> key = Keys.decode(sequence(in, (char) c));
      if (key.isEmpty()) {
        continue;
      }
      Keys.Outcome o =
          Keys.apply(ui, key.get(), Screen.jobs(report, ui), Screen.bodyHeight(height));
      ui = o.state();
      if (o.action() instanceof Keys.Quit) {
        return;
      }
      if (o.action() instanceof Keys.Signal s) {
        Screen.Frame sending =
            new Screen.Frame(report, before, between, connection, clock.instant(), clock.getZone());
        draw(terminal, Screen.render(sending, ui, width, height), asciiOnly);
        ui = ui.withMessage(answer(s));
        nextFetch = clock.instant(); // show what the signal did
      }
    }
  }

  private String answer(Keys.Signal s) {
    try {
      return "signal "
          + s.signal()
          + " to job "
          + s.job()
          + ": "
          + daemon.signal(s.signal(), s.job());
    } catch (RuntimeException e) {
      return "signal " + s.signal() + " to job " + s.job() + " refused: " + e.getMessage();
    }
  }

  /** The rest of an escape sequence, if {@code first} starts one. */
  private static String sequence(NonBlockingReader in, char first) throws IOException {
    if (first != '\033') {
      return String.valueOf(first);
    }
    StringBuilder s = new StringBuilder().append(first);
    int c = in.read(ESCAPE_WAIT_MS);
    if (c != '[' && c != 'O') {
      return s.toString(); // a lone Esc (a following key, if any, is lost: rare and harmless)
    }
    s.append((char) c);
    while (true) {
      c = in.read(ESCAPE_WAIT_MS);
      if (c < 0) {
        return s.toString();
      }
      s.append((char) c);
      if (c >= 0x40 && c <= 0x7e) {
        return s.toString(); // the final byte of a CSI sequence
      }
    }
  }

  private static void draw(Terminal terminal, List<String> lines, boolean asciiOnly) {
    PrintWriter w = terminal.writer();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String l = asciiOnly ? lines.get(i).replace(Screen.ELLIPSIS, '~') : lines.get(i);
      s.append("\033[").append(i + 1).append(";1H").append(l).append("\033[K");
    }
    w.print(s);
    w.flush();
  }

  private static boolean canEncodeEllipsis(Charset cs) {
    return cs != null && cs.newEncoder().canEncode(Screen.ELLIPSIS);
  }

  private static void restore(Terminal terminal, Attributes saved) {
    try {
      terminal.puts(Capability.cursor_visible);
      terminal.puts(Capability.exit_ca_mode);
      terminal.flush();
      terminal.setAttributes(saved);
    } catch (RuntimeException e) {
      // the terminal is gone (closed pane): nothing left to restore
    }
  }
}
