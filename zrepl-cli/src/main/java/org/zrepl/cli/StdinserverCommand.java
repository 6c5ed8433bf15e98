package org.zrepl.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.config.Config;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.transport.stdinserver.StdinserverClient;
import org.zrepl.transport.stdinserver.StdinserverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code zrepl stdinserver CLIENT_IDENTITY}: sshd's forced command for {@code ssh+stdinserver}.
 * Hands this process's stdin and stdout to the daemon through {@code
 * global.serve.stdinserver.sockdir/CLIENT_IDENTITY} and exits with the daemon's verdict. It never
 * writes to stdout itself: that is the RPC's.
 */
@Command(
    name = "stdinserver",
    mixinStandardHelpOptions = true,
    description = {
      "Hand this ssh session's stdin and stdout to the running daemon, which serves the client"
          + " identity CLIENT_IDENTITY. sshd runs it as the forced command of the client's"
          + " authorized_keys line; it is not run by hand (it needs the daemon's stdinserver"
          + " socket for that identity, which a serve of type stdinserver creates).",
      "",
      "Example (a line of ~/.ssh/authorized_keys of the user the daemon runs as):",
      "  command=\"zrepl stdinserver laptop1\",restrict ssh-ed25519 AAAA... root@laptop1"
    })
final class StdinserverCommand implements Callable<Integer> {

  private final ZreplCommand top;

  @Parameters(index = "0", paramLabel = "CLIENT_IDENTITY", description = "the client's identity")
  String identity;

  StdinserverCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    try {
      new ClientIdentity(identity);
    } catch (IllegalArgumentException e) {
      throw new CliException("stdinserver: " + e.getMessage());
    }
    Optional<Config> config = Configs.load(top, top.context().err());
    if (config.isEmpty()) {
      return 1;
    }
    StdinserverClient.Verdict v;
    try {
      v = StdinserverClient.serve(config.get().global().stdinserverSockdir(), identity, 0, 1);
    } catch (StdinserverException e) {
      throw new CliException("stdinserver: " + e.getMessage());
    }
    if (v.exitStatus() != 0) {
      top.context().err().println("zrepl: stdinserver: " + v.message());
    }
    return v.exitStatus();
  }
}
