package org.zrepl.transport.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

class ControlRequestTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void wireFormat() throws Exception {
    assertThat(json.writeValueAsString(ControlRequest.of("signal", "wakeup", "prod")))
        .isEqualTo("{\"command\":\"signal\",\"args\":[\"wakeup\",\"prod\"]}");
    assertThat(json.readValue("{\"command\":\"status\"}", ControlRequest.class))
        .isEqualTo(ControlRequest.of("status"));
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> ControlRequest.of(" "))
        .hasMessage("command must not be blank, got ' '");
    assertThatThrownBy(() -> new ControlResponse(true, "x", null))
        .hasMessage("an ok response has no error, got 'x'");
    assertThatThrownBy(() -> new ControlResponse(false, "", null))
        .hasMessage("a failed response needs an error text, got ");
    assertThat(ControlResponse.ok(null).body()).isEqualTo("null");
  }
}
