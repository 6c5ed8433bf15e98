package org.zrepl.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;
import picocli.CommandLine;

/** Entry point of the {@code zrepl} command. */
public final class Main {

  /** Where the configuration is looked for when {@code --config} is not given, in order. */
  static final List<Path> DEFAULT_CONFIG_LOCATIONS =
      List.of(Path.of("/etc/zrepl/zrepl.yml"), Path.of("/usr/local/etc/zrepl/zrepl.yml"));

  private Main() {}

  public static void main(String[] args) {
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
    return run(args, out, err, new CliContext(out, err, Main::localZfs, DEFAULT_CONFIG_LOCATIONS));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
    CommandLine cl = ZreplCommand.commandLine(context);
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The real adapter: runs this host's {@code zfs}; created only by commands that need ZFS. */
  private static Zfs localZfs() {
    return new CliZfs(new LocalProcessLauncher());
  }

  /** What the commands get from the shell: output, ZFS (created on first use), config lookup. */
  record CliContext(
      PrintWriter out,
      PrintWriter err,
      Supplier<Zfs> zfs,
      List<Path> defaultConfigLocations,
      Clock clock) {
    CliContext {
      defaultConfigLocations = List.copyOf(defaultConfigLocations);
      java.util.Objects.requireNonNull(clock, "clock");
    }

    /** With the system clock (in the default zone), as in production. */
    CliContext(
        PrintWriter out, PrintWriter err, Supplier<Zfs> zfs, List<Path> defaultConfigLocations) {
      // Local snapshot timestamps and cron times mean this machine's zone.
      this(out, err, zfs, defaultConfigLocations, Clock.system(java.time.ZoneId.systemDefault()));
    }
  }
}
