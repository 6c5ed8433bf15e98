package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.transport.log.NetworkLogSinks;

/** The network logging outlets ({@code global.logging} of type tcp, udp, syslog). */
public final class LogOutletsModule extends AbstractModule {

  @Provides
  @Singleton
  LogSinks logSinks(Clock clock) {
    return new NetworkLogSinks(clock);
  }
}
