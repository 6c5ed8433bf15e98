package org.zrepl.app.daemon;

import java.nio.file.Path;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Serve;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlSockets;

/**
 * The daemon refuses to start when a job serves {@code stdinserver} and {@code
 * global.serve.stdinserver.sockdir} is not private: whoever can connect to a socket there speaks as
 * its client identity.
 */
final class StdinserverSockdir {
  private StdinserverSockdir() {}

  static void check(Config config, ControlSockets sockets) {
    boolean used =
        config.jobs().stream()
            .anyMatch(
                j ->
                    (j instanceof Job.Sink s && s.serve() instanceof Serve.Stdinserver)
                        || (j instanceof Job.Source o && o.serve() instanceof Serve.Stdinserver));
    if (!used) {
      return;
    }
    Path dir = config.global().stdinserverSockdir();
    try {
      sockets.ensurePrivate(dir.toAbsolutePath());
    } catch (ControlException e) {
      throw new DaemonStartException("global.serve.stdinserver.sockdir: " + e.getMessage(), e);
    }
  }
}
