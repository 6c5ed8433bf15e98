package org.zrepl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.zrepl.cli.inject.HostModule;
import org.zrepl.cli.inject.SuppliedZfsModule;
import org.zrepl.cli.inject.Wiring;
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
                Main.memoize(() -> wiring(zfs, clock)),
                defaultLocations,
                (signal, handler) -> true,
                false));
    return new Cli(code, out.toString(), err.toString());
  }

  /** The production graph with ZFS from {@code zfs}, time from {@code clock} and real waiting. */
  static Wiring wiring(Supplier<Zfs> zfs, java.time.Clock clock) {
    return Wiring.of(
        Wiring.modules(
            new HostModule(clock, org.zrepl.app.replication.Sleeper.system()),
            new SuppliedZfsModule(zfs)));
  }
}
