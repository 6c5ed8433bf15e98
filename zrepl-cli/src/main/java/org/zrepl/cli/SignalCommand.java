package org.zrepl.cli;

import java.util.concurrent.Callable;
import org.zrepl.port.transport.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code zrepl signal wakeup|reset|snapshot JOB}. */
@Command(
    name = "signal",
    mixinStandardHelpOptions = true,
    description = {
      "Signal a job of the running daemon (through the control socket of the configuration):",
      "  wakeup    replicate and prune now (push, pull, local; snap and source: prune now)",
      "  reset     abort the replication run in progress (push, pull, local); an error when the"
          + " job has none, as in zrepl",
      "  snapshot  take a snapshot round now (jobs that snapshot)",
      "Exit code 0 when the daemon accepted the signal; 1 with the daemon's reason when it"
          + " refused it (unknown job, nothing to reset) or cannot be reached.",
      "",
      "Examples:",
      "  zrepl signal wakeup backup      # replicate now instead of at the next interval",
      "  zrepl signal reset backup       # stop a stuck or unwanted replication run"
    })
final class SignalCommand implements Callable<Integer> {

  enum Signal {
    wakeup,
    reset,
    snapshot
  }

  private final ZreplCommand top;

  @Parameters(index = "0", paramLabel = "SIGNAL", description = "wakeup, reset or snapshot")
  Signal signal;

  @Parameters(index = "1", paramLabel = "JOB", description = "the job's name")
  String job;

  SignalCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    Daemons.call(Daemons.socket(top), ControlRequest.of("signal", signal.name(), job));
    top.context().out().println("signal " + signal + " sent to job " + job);
    return 0;
  }
}
