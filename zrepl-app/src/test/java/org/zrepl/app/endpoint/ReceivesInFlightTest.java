package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * A cut stream's receive winds down on the receiving side after the client saw the cut: the resume
 * token the client asks for then must be the one that receive leaves, not "none yet" (which made
 * the sender release its step holds under guarantee_resumability: the OpenZFS CI run of session 7).
 */
class ReceivesInFlightTest {

  private static final DatasetPath A = DatasetPath.of("src/a");

  @Test
  void theResumeTokenIsToldOnlyAfterTheRunningReceiveIntoTheTargetEnded() throws Exception {
    InMemoryZfs zfs =
        new InMemoryZfs(
            ZfsCapabilities.openZfs21(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            3);
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(A, Map.of(), false);
    zfs.write(A, "f", new byte[256 * 1024]);
    zfs.snapshot(List.of(A), "s1");
    FilesystemVersion s1 = zfs.listVersions(A).get(0);
    byte[] stream;
    LocalSender sender =
        new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "j", Set.of());
    try (InputStream in = sender.send(SendStepRequest.of(A, Step.full(s1))).stream()) {
      stream = in.readAllBytes();
    }
    LocalReceiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(DatasetPath.of("dst").append(s.components())), "j");
    CountDownLatch halfRead = new CountDownLatch(1);
    CountDownLatch cut = new CountDownLatch(1);
    InputStream cutHalfway = new CutStream(stream, halfRead, cut);

    CompletableFuture<Void> receiving =
        CompletableFuture.runAsync(
            () -> receiver.receive(ReceiveStepRequest.of(A, Step.full(s1)), cutHalfway));
    assertThat(halfRead.await(30, TimeUnit.SECONDS)).as("the receive read half").isTrue();
    CompletableFuture<Optional<String>> token =
        CompletableFuture.supplyAsync(() -> receiver.resumeToken(A));

    Thread.sleep(300);
    assertThat(token).as("no answer while the receive runs").isNotDone();
    cut.countDown();
    assertThatThrownBy(() -> receiving.get(30, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(token.get(30, TimeUnit.SECONDS))
        .as("the token of the partial state the cut left")
        .isPresent();
  }

  @Test
  void aReceiveThatDoesNotEndInTimeIsSaidNotToHaveEnded() throws Exception {
    ReceivesInFlight inFlight = new ReceivesInFlight(Duration.ofMillis(50));
    DatasetPath target = DatasetPath.of("dst/a");
    ReceivesInFlight.Entry running = inFlight.start(target);

    assertThatThrownBy(() -> inFlight.awaitNone(target, "tell its resume token"))
        .isInstanceOf(EndpointException.class)
        .hasMessageContaining("a receive into dst/a is still running")
        .hasMessageContaining("cannot tell its resume token")
        .matches(e -> ((EndpointException) e).isTemporary());
    assertThatThrownBy(() -> inFlight.start(target))
        .hasMessageContaining("cannot start another receive into it");
    running.close();
    inFlight.awaitNone(target, "tell its resume token");
    inFlight.start(target).close();
    inFlight.start(DatasetPath.of("dst/b")).close();
  }

  /** Serves the first half, then waits for {@code cut} and fails as a reset connection does. */
  private static final class CutStream extends InputStream {
    private final ByteArrayInputStream first;
    private final CountDownLatch halfRead;
    private final CountDownLatch cut;

    CutStream(byte[] all, CountDownLatch halfRead, CountDownLatch cut) {
      this.first = new ByteArrayInputStream(all, 0, all.length / 2);
      this.halfRead = halfRead;
      this.cut = cut;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = first.read(b, off, len);
      if (n >= 0) {
        return n;
      }
      halfRead.countDown();
      try {
        cut.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("Connection reset");
    }
  }
}
