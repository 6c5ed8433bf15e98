package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.zfs.cli.CliZfs;

/**
 * Hostile input on real OpenZFS (the guest of {@link OpenZfsGuest}): a sender's {@code mountpoint}
 * and {@code sharenfs} never reach the receiver ({@code zfs recv -x}), and a client's resume token
 * is decoded ({@code zfs send -nvt}) and refused unless it names a snapshot of the filesystem asked
 * for.
 */
class OpenZfsHostileIT {

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private CliZfs zfs;
  private DatasetPath src;
  private DatasetPath dst;

  @BeforeEach
  void roots() {
    zfs = new CliZfs(GUEST.launcher());
    next++;
    src = DatasetPath.of(GUEST.source() + "/h" + next);
    dst = DatasetPath.of(GUEST.sink() + "/h" + next);
    GUEST.run("zfs", "create", src.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", dst.toString());
  }

  private DatasetPath target(DatasetPath source) {
    return dst.append(source.trimPrefix(src));
  }

  private LocalSender sender(DatasetPath only, Set<SendFlag> flags) {
    return new LocalSender(zfs, DatasetFilter.of(Map.of(only.toString(), "ok")), "hz", flags);
  }

  private ReplicationReport run(Sender sender, int attempts) {
    LocalReceiver receiver = new LocalReceiver(zfs, s -> Optional.of(target(s)), "hz");
    return new ReplicationEngine(clock, clock::sleep)
        .run(
            sender,
            receiver,
            ReplicationPolicy.defaults().withMaxAttempts(attempts),
            ProgressListener.none());
  }

  private String get(DatasetPath fs, String property) {
    return GUEST.run("zfs", "get", "-H", "-o", "value,source", property, fs.toString()).strip();
  }

  @Test
  void aSendersMountpointAndShareAreNotReceived() {
    DatasetPath a = src.child("a");
    String evil = "/mnt/evil-" + GUEST.source() + "-" + next;
    GUEST.run(
        "zfs", "create", "-o", "mountpoint=" + evil, "-o", "sharenfs=rw=@10.0.0.0/8", a.toString());
    zfs.snapshot(List.of(a), "s1");
    Sender sender = sender(a, Set.of(SendFlag.PROPERTIES));

    ReplicationReport first = run(sender, 3);
    assertThat(first.isSuccess()).as(first.describe()).isTrue();
    zfs.snapshot(List.of(a), "s2");
    ReplicationReport second = run(sender, 3);
    assertThat(second.isSuccess()).as(second.describe()).isTrue();

    String dstMp = get(dst, "mountpoint").split("\t", 0)[0];
    // inherited (from the sink pool's root, which set it): below the receiving root
    assertThat(get(target(a), "mountpoint"))
        .isEqualTo(dstMp + "/a\tinherited from " + dst.pool())
        .doesNotContain(evil);
    assertThat(get(target(a), "sharenfs")).isEqualTo("off\tdefault");
    Property mp = zfs.getProperties(target(a).toString(), Set.of("mountpoint")).get("mountpoint");
    assertThat(mp.source()).isEqualTo(Property.Source.INHERITED);
    GUEST.sh("zfs mount -a || true");
    assertThat(GUEST.sh("grep -c ' " + evil + " ' /proc/mounts || true").strip())
        .as("only the source is mounted at " + evil)
        .isEqualTo("1");
  }

  @Test
  void aResumeTokenNamingAnotherFilesystemIsRefusedAndAGenuineOneIsDecoded() {
    DatasetPath a = src.child("a");
    DatasetPath secret = src.child("secret");
    GUEST.run("zfs", "create", a.toString());
    GUEST.run("zfs", "create", secret.toString());
    GUEST.sh("head -c 3145728 /dev/urandom > /mnt/" + secret + "/f && sync");
    zfs.snapshot(List.of(a), "s1");
    zfs.snapshot(List.of(secret), "s1");
    // a real token of the secret filesystem: a cut receive of it
    ReplicationReport cut = run(new TruncatingSender(sender(secret, Set.of()), 1 << 20), 1);
    assertThat(cut.isSuccess()).as(cut.describe()).isFalse();
    String token =
        GUEST
            .run(
                "zfs",
                "get",
                "-H",
                "-o",
                "value",
                "receive_resume_token",
                target(secret).toString())
            .strip();
    assertThat(token).startsWith("1-");
    FilesystemVersion secretS1 = zfs.listVersions(secret).get(0);

    ResumeTokenContents decoded = zfs.decodeResumeToken(token);
    assertThat(decoded.toName()).isEqualTo(secret + "@s1");
    assertThat(decoded.toGuid()).isEqualTo(secretS1.guid());
    assertThat(decoded.fromGuid()).isEmpty();

    LocalSender servesA = sender(a, Set.of());
    FilesystemVersion s1 = zfs.listVersions(a).get(0);
    assertThatThrownBy(
            () -> servesA.send(new SendStepRequest(a, Step.full(s1), Optional.of(token))))
        .isInstanceOf(VersionMismatchException.class)
        .hasMessageContaining("resume token names " + secret + "@s1")
        .hasMessageContaining("refused");
    assertThat(GUEST.run("zfs", "holds", "-H", a + "@s1").strip()).isEmpty();

    // the genuine resume of the secret's own step still works through its own sender
    ReplicationReport resumed = run(sender(secret, Set.of()), 3);
    assertThat(resumed.isSuccess()).as(resumed.describe()).isTrue();
    assertThat(zfs.listVersions(target(secret)))
        .extracting(FilesystemVersion::guid)
        .contains(secretS1.guid());
  }
}
