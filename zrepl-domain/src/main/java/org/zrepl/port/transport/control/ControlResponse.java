package org.zrepl.port.transport.control;

import java.util.Objects;

/**
 * The answer to a {@link ControlRequest}: either {@code ok} with a body, or an error text for the
 * operator.
 *
 * @param body the body as JSON text ({@code null} when there is none); the control socket puts it
 *     on the wire as it is
 */
public record ControlResponse(boolean ok, String error, String body) {
  public ControlResponse {
    if (ok && error != null) {
      throw new IllegalArgumentException("an ok response has no error, got '" + error + "'");
    }
    if (!ok && (error == null || error.isBlank())) {
      throw new IllegalArgumentException("a failed response needs an error text, got " + error);
    }
    body = body == null ? "null" : body;
  }

  /** A success whose body is {@code json} (JSON text). */
  public static ControlResponse ok(String json) {
    return new ControlResponse(true, null, json);
  }

  public static ControlResponse error(String error) {
    return new ControlResponse(false, Objects.requireNonNull(error, "error"), null);
  }
}
