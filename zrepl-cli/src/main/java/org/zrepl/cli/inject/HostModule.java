package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;
import org.zrepl.app.replication.Sleeper;

/**
 * Time and waiting: the one {@link Clock} and the one {@link Sleeper} of the process. Production
 * uses this machine's clock in its zone (zrepl names snapshots and logs in local time); tests pass
 * a manual clock.
 */
public final class HostModule extends AbstractModule {

  private final Clock clock;
  private final Sleeper sleeper;

  /** The system clock in the default zone; real waiting. */
  public HostModule() {
    this(Clock.system(ZoneId.systemDefault()), Sleeper.system());
  }

  public HostModule(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(clock);
    bind(Sleeper.class).toInstance(sleeper);
  }
}
