package org.zrepl.app.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zrepl.port.process.CommandOutcome;
import org.zrepl.port.process.CommandRequest;
import org.zrepl.port.process.CommandRunner;

/**
 * Records every command and answers with a scripted outcome per {@code path + " " + ZREPL_HOOKTYPE
 * + " " + ZREPL_FS} (or per path alone); exit 0 with no output otherwise.
 */
public final class RecordingCommandRunner implements CommandRunner {

  private final List<CommandRequest> requests = new ArrayList<>();
  private final Map<String, CommandOutcome> script = new HashMap<>();

  /** {@code key} is a path, or {@code "path pre_snapshot pool/fs"}. */
  public RecordingCommandRunner answer(String key, CommandOutcome outcome) {
    script.put(key, outcome);
    return this;
  }

  @Override
  public synchronized CommandOutcome run(CommandRequest request) {
    requests.add(request);
    String path = request.argv().get(0);
    Map<String, String> env = request.environment();
    String full = path + " " + env.get("ZREPL_HOOKTYPE") + " " + env.get("ZREPL_FS");
    return script.getOrDefault(full, script.getOrDefault(path, new CommandOutcome.Exited(0, "")));
  }

  public synchronized List<CommandRequest> requests() {
    return List.copyOf(requests);
  }

  /** {@code "path hooktype fs"} for each request, in order. */
  public synchronized List<String> calls() {
    return requests.stream()
        .map(
            r ->
                r.argv().get(0)
                    + " "
                    + r.environment().get("ZREPL_HOOKTYPE")
                    + " "
                    + r.environment().get("ZREPL_FS"))
        .toList();
  }
}
