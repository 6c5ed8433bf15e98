package org.zrepl.port.transport.control;

import java.util.List;
import java.util.Objects;

/**
 * One request on the control socket.
 *
 * @param command what to do: {@code status}, {@code signal}, {@code version}
 * @param args its arguments, e.g. {@code ["wakeup", "prod"]} for {@code signal}
 */
public record ControlRequest(String command, List<String> args) {
  public ControlRequest {
    Objects.requireNonNull(command, "command");
    if (command.isBlank()) {
      throw new IllegalArgumentException("command must not be blank, got '" + command + "'");
    }
    args = args == null ? List.of() : List.copyOf(args);
  }

  public static ControlRequest of(String command, String... args) {
    return new ControlRequest(command, List.of(args));
  }
}
