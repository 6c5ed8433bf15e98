package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.transport.TransportException;

/**
 * "Not served" on the wire (a temporary {@code CONNECT} error marked {@code notServed}, which a
 * client unaware of the mark still takes as temporary), and how long a client waits between tries.
 */
class NotServedTest {

  @Test
  void notServedRoundTripsWithItsTypeMessageAndTemporariness() {
    var encoded = RemoteErrors.encode(new NotServedException("server busy; try again later"));
    assertThat(encoded.toString())
        .isEqualTo(
            "{\"notServed\":true,\"type\":\"CONNECT\",\"message\":\"server busy; try again"
                + " later\",\"temporary\":true}");
    EndpointException back = RemoteErrors.decode(encoded);
    assertThat(back).isInstanceOf(NotServedException.class);
    assertThat(back.getMessage()).isEqualTo("server busy; try again later");
    assertThat(back.isTemporary()).isTrue();
  }

  @Test
  void aPlainConnectErrorIsNotTakenForNotServed() {
    var plain =
        RemoteErrors.encode(
            new TransportException(TransportException.Kind.CONNECT, "cannot connect", null));
    assertThat(RemoteErrors.decode(plain))
        .isInstanceOf(TransportException.class)
        .isNotInstanceOf(NotServedException.class);
  }

  @Test
  void pausesGrowFromTheFirstToTheMaximumWithJitterOfAtMostHalf() {
    RpcClient.Patience p = RpcClient.Patience.DEFAULT;
    for (int i = 0; i < 200; i++) {
      assertThat(p.pause(1)).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
      assertThat(p.pause(2)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
      assertThat(p.pause(5)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
      assertThat(p.pause(6)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
      assertThat(p.pause(1000)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
    }
    assertThat(RpcClient.Patience.NONE.pause(1)).isZero();
  }
}
