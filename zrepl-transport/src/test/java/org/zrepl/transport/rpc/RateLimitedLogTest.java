package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Refusals and drops a flood of hostile clients could multiply are logged at WARN, at most {@code
 * perWindow} lines a window, and the first line after a window that dropped lines says how many.
 */
class RateLimitedLogTest {

  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final RecordingLogger logger = new RecordingLogger();
  private long now = 1_000_000L;

  @Test
  void aFloodOfRefusalsGetsTwentyLinesAWindowAtWarn() {
    RateLimitedLog log = new RateLimitedLog(logger, 20, MINUTE, () -> now);

    int logged = 0;
    for (int i = 0; i < 500; i++) {
      if (log.warn("{}: refused {}: {}", "alice", "receiver.listVersions", "invalid name " + i)) {
        logged++;
      }
    }

    assertThat(logged).isEqualTo(20);
    assertThat(logger.lines)
        .hasSize(20)
        .allSatisfy(l -> assertThat(l).startsWith("WARN alice: refused receiver.listVersions: "));
    assertThat(logger.lines.get(0)).endsWith("invalid name 0");
  }

  @Test
  void theFirstLineOfTheNextWindowSaysHowManyWereSuppressed() {
    RateLimitedLog log = new RateLimitedLog(logger, 3, MINUTE, () -> now);
    for (int i = 0; i < 10; i++) {
      log.warn("flood {}", i);
    }
    now += MINUTE - 1;
    assertThat(log.warn("still the same window")).isFalse();

    now += 1;
    assertThat(log.warn("a new window")).isTrue();

    assertThat(logger.lines)
        .containsExactly(
            "WARN flood 0",
            "WARN flood 1",
            "WARN flood 2",
            "WARN (8 similar warnings suppressed)",
            "WARN a new window");
  }

  @Test
  void aQuietWindowSaysNothingAboutSuppression() {
    RateLimitedLog log = new RateLimitedLog(logger, 3, MINUTE, () -> now);
    log.warn("one");
    now += 2 * MINUTE;
    log.warn("two");

    assertThat(logger.lines).containsExactly("WARN one", "WARN two");
  }
}
