package org.zrepl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import org.zrepl.app.config.Config;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;
import org.zrepl.transport.control.ControlClient;

/** Talking to the running daemon through the control socket named in the config. */
final class Daemons {

  private Daemons() {}

  static Path socket(ZreplCommand top) {
    Optional<Config> c = Configs.load(top, top.context().err());
    if (c.isEmpty()) {
      throw new CliException("no valid configuration, so no control socket to ask");
    }
    return c.get().global().controlSockpath();
  }

  /** The body of a successful response; throws {@link CliException} with the daemon's error. */
  static JsonNode call(Path socket, ControlRequest request) {
    ControlResponse r;
    try {
      r = new ControlClient(socket).call(request);
    } catch (ControlException e) {
      throw new CliException(e.getMessage() + " (is the daemon running?)");
    }
    if (!r.ok()) {
      throw new CliException(r.error());
    }
    try {
      return new ObjectMapper().readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new CliException("the daemon answered with a body that is not JSON: " + e.getMessage());
    }
  }
}
