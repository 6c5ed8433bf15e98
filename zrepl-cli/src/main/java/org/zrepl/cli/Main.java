package org.zrepl.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.zrepl.cli.inject.Wiring;
import picocli.CommandLine;

/** Entry point of the {@code zrepl} command. */
public final class Main {

  /** Where the configuration is looked for when {@code --config} is not given, in order. */
  static final List<Path> DEFAULT_CONFIG_LOCATIONS =
      List.of(Path.of("/etc/zrepl/zrepl.yml"), Path.of("/usr/local/etc/zrepl/zrepl.yml"));

  private Main() {}

  public static void main(String[] args) {
    ProcessLaunch.configure();
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs {@code zrepl args}: 0 on success (for configcheck: a valid config), 1 for an invalid
   * config or a failed operation, 2 for a usage error.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(
        args,
        out,
        err,
        new CliContext(
            out,
            err,
            memoize(Wiring::production),
            DEFAULT_CONFIG_LOCATIONS,
            new PosixSignals(),
            isTerminal()));
  }

  /**
   * Whether stdin and stdout are a terminal. On JDK 17 {@code System.console()} is null exactly
   * when they are not (JDK 22 changed that; revisit when moving past 17).
   */
  @SuppressWarnings("SystemConsoleNull")
  private static boolean isTerminal() {
    return System.console() != null;
  }

  static <T> Supplier<T> memoize(Supplier<T> s) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
    CommandLine cl = ZreplCommand.commandLine(context, args);
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * What the commands get from the shell: output, the object graph (built on first use, so offline
   * commands build nothing), config lookup, signal handling and whether standard output is a
   * terminal.
   */
  record CliContext(
      PrintWriter out,
      PrintWriter err,
      Supplier<Wiring> wiring,
      List<Path> defaultConfigLocations,
      Signals signals,
      boolean terminal) {
    CliContext {
      defaultConfigLocations = List.copyOf(defaultConfigLocations);
      java.util.Objects.requireNonNull(wiring, "wiring");
    }

    /** The one clock of the process. */
    Clock clock() {
      return wiring.get().clock();
    }
  }

  /** Installs handlers for POSIX signals ({@code HUP}, {@code TERM}, {@code INT}). */
  @FunctionalInterface
  interface Signals {
    /**
     * Installs {@code handler} for {@code signal}; false when the process ignores the signal (its
     * parent ignored it), so that the handler will never be called.
     */
    boolean on(String signal, Runnable handler);
  }
}
