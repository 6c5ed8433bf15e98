package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;

class BandwidthLimitTest {

  @Test
  void bucketLetsABurstThroughThenWaitsForTheRate() throws InterruptedException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket bucket = new TokenBucket(new BandwidthLimit(1000, 1000), clock, clock::sleep);

    bucket.take(1000); // the one-second burst
    assertThat(clock.slept()).isEqualTo(Duration.ZERO);
    bucket.take(500);
    assertThat(clock.slept()).isEqualTo(Duration.ofMillis(500));
    bucket.take(2000);
    assertThat(clock.slept()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void idleTimeRefillsAtMostOneSecondsWorth() throws InterruptedException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket bucket = new TokenBucket(new BandwidthLimit(1000, 1000), clock, clock::sleep);
    bucket.take(1000);
    clock.advance(Duration.ofMinutes(5));

    bucket.take(1500);

    assertThat(clock.slept()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void bucketCapacityIsTheBurstAndTheCeilingOfIdleRefill() throws InterruptedException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket bucket = new TokenBucket(new BandwidthLimit(1000, 4000), clock, clock::sleep);

    bucket.take(4000); // starts full: the whole capacity passes at once
    assertThat(clock.slept()).isEqualTo(Duration.ZERO);
    bucket.take(1000);
    assertThat(clock.slept()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofHours(1)); // refills to the capacity, not beyond
    bucket.take(5000);
    assertThat(clock.slept()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aSmallBucketAllowsNoBurst() throws InterruptedException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket bucket = new TokenBucket(new BandwidthLimit(1000, 1), clock, clock::sleep);

    bucket.take(501);

    assertThat(clock.slept()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void throttledStreamTakesWhatEachReadReturned() throws IOException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket bucket = new TokenBucket(new BandwidthLimit(100_000, 50_000), clock, clock::sleep);
    InputStream in = bucket.throttle(new ByteArrayInputStream(new byte[1_050_000]));

    byte[] all = in.readAllBytes();

    assertThat(all).hasSize(1_050_000);
    // one bucket's worth free, the rest at 100 kB/s (each wait rounded up to the nanosecond)
    assertThat(clock.slept()).isBetween(Duration.ofSeconds(10), Duration.ofMillis(10_001));
  }

  @Test
  void meteredStreamTakesFromEveryLimitInTurn() throws IOException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBucket fast = new TokenBucket(new BandwidthLimit(200_000, 128 << 10), clock, clock::sleep);
    TokenBucket slow = new TokenBucket(new BandwidthLimit(100_000, 128 << 10), clock, clock::sleep);
    InputStream in =
        new MeteredStream(
            new ByteArrayInputStream(new byte[1_000_000]),
            List.of(fast, slow),
            b -> {},
            new Cancellation());

    in.readAllBytes();

    // The slower limit sets the pace: its burst free, the rest at 100 kB/s; the faster one's
    // waits refill the slower bucket, so the two do not add up (that would be about 13 s).
    long expected = (1_000_000 - (128 << 10)) * 1000L / 100_000;
    assertThat(clock.slept().toMillis()).isBetween(expected, expected + 400L);
  }

  @Test
  void meteredStreamReadsInBoundedChunksAndReportsTheTotal() throws IOException {
    byte[] data = new byte[200_000];
    List<Long> progress = new ArrayList<>();
    InputStream in =
        new MeteredStream(
            new ByteArrayInputStream(data), List.of(), progress::add, new Cancellation());
    byte[] buf = new byte[1 << 20];
    List<Integer> reads = new ArrayList<>();
    for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
      reads.add(n);
    }
    assertThat(reads).allMatch(n -> n <= MeteredStream.CHUNK);
    assertThat(reads.stream().mapToInt(Integer::intValue).sum()).isEqualTo(data.length);
    assertThat(progress.get(progress.size() - 1)).isEqualTo(data.length);
  }

  @Test
  void jobWideLimitPacesTheReplication() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath a = w.fs("src/a");
    DatasetPath b = w.fs("src/b");
    w.write(a, "a".repeat(300_000));
    w.write(b, "b".repeat(300_000));
    w.snapshot("s1", a, b);

    ReplicationReport report =
        w.run(
            filter("src/a", "src/b"),
            ReplicationPolicy.defaults()
                .withBandwidthLimits(List.of(new BandwidthLimit(100_000, 100_000)))
                .withConcurrencySteps(2));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    long bytes = report.results().stream().mapToLong(r -> ((FilesystemResult.Ok) r).bytes()).sum();
    assertThat(bytes).isGreaterThan(600_000);
    // (bytes - one second of burst) / rate, give or take one chunk
    long expectedMillis = (bytes - 100_000) * 1000 / 100_000;
    assertThat(w.clock.slept().toMillis()).isBetween(expectedMillis - 700, expectedMillis + 700);
    assertThat(w.read(target(b))).hasSize(300_000);
    assertThat(w.events.of(ProgressEvent.BytesSent.class)).hasSizeGreaterThan(8);
  }
}
