package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** A sender answers, sends, holds and records nothing outside its filter for a hostile client. */
class SenderConfinementTest {

  private static final DatasetPath SERVED = DatasetPath.of("src/a");
  private static final DatasetPath PRIVATE = DatasetPath.of("src/private");

  private final InMemoryZfs zfs =
      new InMemoryZfs(
          ZfsCapabilities.openZfs21(),
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
          3);
  private final LocalSender sender;

  SenderConfinementTest() {
    zfs.createPool("src");
    zfs.createFilesystem(SERVED, Map.of(), false);
    zfs.createFilesystem(PRIVATE, Map.of(), false);
    zfs.snapshot(List.of(SERVED), "s1");
    zfs.snapshot(List.of(PRIVATE), "s1");
    sender = new LocalSender(zfs, DatasetFilter.of(Map.of("src/a", "ok")), "j", Set.of());
  }

  private FilesystemVersion v(DatasetPath fs, String name) {
    return zfs.listVersions(fs).stream().filter(x -> x.name().equals(name)).findFirst().get();
  }

  /** A token as the fake's {@code zfs recv -s} writes it. */
  private static String token(String toName, long toGuid, long fromGuid) {
    String text =
        "toguid="
            + Long.toUnsignedString(toGuid)
            + "\nfromguid="
            + Long.toUnsignedString(fromGuid)
            + "\ntoname="
            + toName
            + "\nbytes=0";
    return "1-fake-"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void estimateSizeOfAnUnservedFilesystemIsNotFound() {
    FilesystemVersion secret = v(PRIVATE, "s1");
    assertThatThrownBy(() -> sender.estimateSize(SendStepRequest.of(PRIVATE, Step.full(secret))))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessageContaining("src/private is not served");
  }

  @Test
  void everyCallNamingAnUnservedFilesystemIsRefusedAndTouchesNothing() {
    FilesystemVersion secret = v(PRIVATE, "s1");
    Step step = Step.full(secret);
    List<Runnable> calls =
        List.of(
            () -> sender.listVersions(List.of(PRIVATE)),
            () -> sender.send(SendStepRequest.of(PRIVATE, step)),
            () -> sender.estimateSize(SendStepRequest.of(PRIVATE, step)),
            () -> sender.sendCompleted(new SendCompletedRequest(PRIVATE, step, true)),
            () -> sender.destroySnapshots(PRIVATE, List.of(secret)));
    for (Runnable c : calls) {
      assertThatThrownBy(c::run).isInstanceOf(FilesystemNotFoundException.class);
    }
    assertThat(zfs.listVersions(PRIVATE)).containsExactly(secret);
    assertThat(zfs.holds(PRIVATE, "s1")).isEmpty();
    assertThat(sender.listFilesystems()).extracting(f -> f.path()).containsExactly(SERVED);
  }

  @Test
  void aResumeTokenNamingAnotherFilesystemIsRefusedBeforeAnythingIsSent() {
    FilesystemVersion mine = v(SERVED, "s1");
    FilesystemVersion secret = v(PRIVATE, "s1");
    String forged = token("src/private@s1", secret.guid(), 0);
    int sends = zfs.processesStarted("send");

    assertThatThrownBy(
            () -> sender.send(new SendStepRequest(SERVED, Step.full(mine), Optional.of(forged))))
        .isInstanceOf(VersionMismatchException.class)
        .hasMessageContaining("resume token names src/private@s1")
        .hasMessageContaining("refused");
    assertThat(zfs.processesStarted("send") - sends).isEqualTo(1); // only the decoding dry run
    assertThat(zfs.holds(SERVED, "s1")).isEmpty();
  }

  @Test
  void aResumeTokenWhoseGuidsAreNotTheServedFilesystemsIsRefused() {
    zfs.snapshot(List.of(SERVED), "s2");
    FilesystemVersion s1 = v(SERVED, "s1");
    FilesystemVersion s2 = v(SERVED, "s2");
    Step step = Step.incremental(s1, s2);
    for (String t :
        List.of(
            token("src/a@s2", s2.guid() + 1, s1.guid()),
            token("src/a@s1", v(PRIVATE, "s1").guid(), 0),
            token("src/a@s3", s2.guid(), 0),
            token("src/a@s2", s2.guid(), 42),
            token("src/a/../private@s1", v(PRIVATE, "s1").guid(), 0))) {
      assertThatThrownBy(() -> sender.send(new SendStepRequest(SERVED, step, Optional.of(t))))
          .isInstanceOf(VersionMismatchException.class);
    }
    assertThatThrownBy(
            () -> sender.send(new SendStepRequest(SERVED, step, Optional.of("1-garbage"))))
        .isInstanceOf(EndpointException.class)
        .hasMessageContaining("decoding the resume token");
  }

  @Test
  void theSessionRecordsOnlyWhatWasReallySentToThatClient() throws Exception {
    SessionCursors session = new SessionCursors();
    Sender alice = session.track(sender, "alice");
    Sender bob = session.track(sender, "bob");
    zfs.snapshot(List.of(SERVED), "s2");
    FilesystemVersion s1 = v(SERVED, "s1");
    FilesystemVersion s2 = v(SERVED, "s2");
    FilesystemVersion secret = v(PRIVATE, "s1");
    FilesystemVersion madeUp =
        FilesystemVersion.snapshot("s9", 999, s2.createTxg() + 100, s2.creation());

    // a refused filesystem
    assertThatThrownBy(
            () -> alice.sendCompleted(new SendCompletedRequest(PRIVATE, Step.full(secret), true)))
        .isInstanceOf(FilesystemNotFoundException.class);
    assertThat(session.lastReplicated(PRIVATE)).isEmpty();
    // a made-up version of a served filesystem, never sent
    try {
      alice.sendCompleted(new SendCompletedRequest(SERVED, Step.incremental(s1, madeUp), true));
    } catch (RuntimeException expected) {
      // the sender may refuse it too (no such snapshot); either way nothing is recorded
    }
    assertThat(session.lastReplicated(SERVED)).isEmpty();

    Step step = Step.full(s1);
    try (InputStream in = alice.send(SendStepRequest.of(SERVED, step)).stream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    // another client completing alice's step does not count
    bob.sendCompleted(new SendCompletedRequest(SERVED, step, true));
    assertThat(session.lastReplicated(SERVED)).isEmpty();
    assertThat(session.inUse(SERVED)).contains(s1.guid());

    alice.sendCompleted(new SendCompletedRequest(SERVED, step, true));
    assertThat(session.lastReplicated(SERVED)).contains(s1);
    assertThat(session.inUse(SERVED)).isEmpty();
  }
}
