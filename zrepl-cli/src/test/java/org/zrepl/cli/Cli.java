package org.zrepl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.zrepl.cli.inject.SuppliedZfsModule;
import org.zrepl.port.zfs.Zfs;

/** Runs the CLI in-process and captures what it printed. */
record Cli(int code, String out, String err) {

  static Cli run(String... args) {
    return run(
        List.of(),
        () -> {
          throw new AssertionError("this test must not touch ZFS");
        },
        args);
  }

  static Cli run(List<Path> defaultLocations, Supplier<Zfs> zfs, String... args) {
    return run(
        defaultLocations, zfs, java.time.Clock.system(java.time.ZoneId.systemDefault()), args);
  }

  static Cli run(
      List<Path> defaultLocations, Supplier<Zfs> zfs, java.time.Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code =
        Main.run(
            args,
            o,
            e,
            new Main.CliContext(
                o,
                e,
                Main.memoize(() -> SuppliedZfsModule.wiring(zfs, clock)),
                defaultLocations,
                (signal, handler) -> true,
                false));
    return new Cli(code, out.toString(), err.toString());
  }
}
