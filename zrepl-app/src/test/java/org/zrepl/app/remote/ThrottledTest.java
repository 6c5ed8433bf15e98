package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.zrepl.app.replication.BandwidthLimit;
import org.zrepl.app.replication.TokenBucket;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;

class ThrottledTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final TokenBucket bucket =
      new TokenBucket(
          new BandwidthLimit(100_000, 10_000),
          clock,
          d -> {
            slept.add(d);
            clock.advance(d);
          });

  private Duration totalSlept() {
    return slept.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Test
  void aSinksReceiverReadsItsStreamsAtTheRecvLimit() {
    List<Integer> received = new ArrayList<>();
    Receiver inner =
        fake(
            Receiver.class,
            "receive",
            args -> {
              try {
                received.add(((InputStream) args[1]).readAllBytes().length);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return null;
            });

    Receiver limited = Throttled.receiver(inner, Optional.of(bucket));
    limited.receive(null, new ByteArrayInputStream(new byte[510_000]));

    assertThat(received).containsExactly(510_000);
    assertThat(totalSlept()).isBetween(Duration.ofMillis(5000), Duration.ofMillis(5001));
  }

  @Test
  void aSourcesSenderHandsOutStreamsPacedByTheSendLimit() throws IOException {
    Sender inner =
        fake(
            Sender.class,
            "send",
            args ->
                new SendStepResponse(
                    new ByteArrayInputStream(new byte[210_000]), true, OptionalLong.of(7)));

    SendStepResponse r = Throttled.sender(inner, Optional.of(bucket)).send(null);

    assertThat(r.resumed()).isTrue();
    assertThat(r.expectedSize()).hasValue(7);
    assertThat(totalSlept()).isZero();
    assertThat(r.stream().readAllBytes()).hasSize(210_000);
    assertThat(totalSlept()).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2001));
  }

  @Test
  void withoutALimitTheEndpointIsServedAsItIs() {
    Receiver inner = fake(Receiver.class, "receive", args -> null);
    Sender sender = fake(Sender.class, "send", args -> null);

    assertThat(Throttled.receiver(inner, Optional.empty())).isSameAs(inner);
    assertThat(Throttled.sender(sender, Optional.empty())).isSameAs(sender);
  }

  interface Call {
    Object on(Object[] args);
  }

  private static <T> T fake(Class<T> type, String method, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                return call.on(args);
              }
              throw new UnsupportedOperationException(m.getName());
            }));
  }
}
