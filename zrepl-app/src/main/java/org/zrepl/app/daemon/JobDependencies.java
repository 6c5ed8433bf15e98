package org.zrepl.app.daemon;

import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Objects;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.zfs.Zfs;

/** What job builders need from the outside world. */
public record JobDependencies(Zfs zfs, CommandRunner hooks, Clock clock) {

  @Inject
  public JobDependencies {
    Objects.requireNonNull(zfs, "zfs");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(clock, "clock");
  }
}
