package org.zrepl.app.daemon;

import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Objects;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.Wires;
import org.zrepl.port.zfs.Zfs;

/**
 * What jobs need from the outside world: ZFS, hook processes, time, waiting, the wires and the RPC
 * over them. Built by the injector; tests build it with fakes bound the same way.
 */
public record JobDependencies(
    Zfs zfs, CommandRunner hooks, Clock clock, Sleeper sleeper, Wires wires, Rpc rpc) {

  @Inject
  public JobDependencies {
    Objects.requireNonNull(zfs, "zfs");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(wires, "wires");
    Objects.requireNonNull(rpc, "rpc");
  }
}
