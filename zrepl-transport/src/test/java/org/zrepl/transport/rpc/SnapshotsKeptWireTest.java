package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.SnapshotsKeptException;

/**
 * A sender's "kept for other targets" answer to a destroy crosses the wire typed, with each kept
 * snapshot and its targets, so that the pruning client counts them as kept; a malformed list is a
 * plain failure.
 */
class SnapshotsKeptWireTest {

  private static final String MESSAGE =
      "sender src/a kept @s1 (the replication cursor of [src_C_beta]): a target's incremental base";

  @Test
  void keptSnapshotsRoundTripWithTheirTargets() {
    var kept =
        List.of(
            new SnapshotsKeptException.Kept("s1", List.of("src_C_beta")),
            new SnapshotsKeptException.Kept("s2", List.of("src_C_beta", "offsite")));
    var encoded = RemoteErrors.encode(new SnapshotsKeptException(MESSAGE, kept));
    assertThat(encoded.path("type").asText()).isEqualTo("SnapshotsKept");
    assertThat(encoded.path("temporary").asBoolean(true)).isFalse();

    EndpointException back = RemoteErrors.decode(encoded);

    assertThat(back).isInstanceOf(SnapshotsKeptException.class).hasMessage(MESSAGE);
    assertThat(((SnapshotsKeptException) back).kept()).isEqualTo(kept);
    assertThat(back.isTemporary()).isFalse();
  }

  @Test
  void aMalformedListIsAPlainFailureWithTheMessage() throws Exception {
    var encoded =
        RemoteErrors.encode(
            new SnapshotsKeptException(
                MESSAGE, List.of(new SnapshotsKeptException.Kept("s1", List.of("x")))));
    for (var bad : List.of("[]", "[{\"snapshot\":\"s1\"}]", "[{\"neededBy\":[\"x\"]}]")) {
      var o = encoded.deepCopy();
      byte[] json = ("{\"kept\":" + bad + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      o.set("kept", Json.parse("test", json).get("kept"));
      EndpointException back = RemoteErrors.decode(o);
      assertThat(back).as(bad).isNotInstanceOf(SnapshotsKeptException.class);
      assertThat(back.getMessage()).as(bad).startsWith(MESSAGE).contains("malformed");
    }
  }
}
