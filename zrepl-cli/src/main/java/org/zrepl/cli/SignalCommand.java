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
      "Signal a job of the running daemon:",
      "  wakeup    replicate and prune now",
      "  reset     abort the current replication",
      "  snapshot  take a snapshot round now"
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
