package org.zrepl.transport.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * The answer to a {@link ControlRequest}: either {@code ok} with a JSON body, or an error text for
 * the operator.
 */
public record ControlResponse(boolean ok, String error, JsonNode body) {
  public ControlResponse {
    if (ok && error != null) {
      throw new IllegalArgumentException("an ok response has no error, got '" + error + "'");
    }
    if (!ok && (error == null || error.isBlank())) {
      throw new IllegalArgumentException("a failed response needs an error text, got " + error);
    }
    body = body == null ? NullNode.getInstance() : body;
  }

  public static ControlResponse ok(JsonNode body) {
    return new ControlResponse(true, null, body);
  }

  public static ControlResponse error(String error) {
    return new ControlResponse(false, Objects.requireNonNull(error, "error"), null);
  }
}
