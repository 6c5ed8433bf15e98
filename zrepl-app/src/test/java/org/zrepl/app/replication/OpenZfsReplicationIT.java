package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.prune.PruneContexts;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.PruneSide;
import org.zrepl.app.prune.PruneTarget;
import org.zrepl.app.prune.Pruner;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.zfs.cli.CliZfs;

/**
 * Replication scenarios that need modern ZFS (resumable receive, bookmarks, {@code zfs holds}, raw
 * sends), end to end through {@link ReplicationEngine} with {@link LocalSender} and {@link
 * LocalReceiver} over {@link CliZfs}, whose commands go over ssh into the OpenZFS guest. Skipped
 * without a guest (see {@link OpenZfsGuest}).
 */
class OpenZfsReplicationIT {

  private static final String JOB = "oz";
  private static final EndpointNames NAMES = EndpointNames.forJob(JOB);
  private static final int FILE_BYTES = 3 << 20;

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;
  private final SecureRandom random = new SecureRandom();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private CliZfs zfs;
  private DatasetPath src;
  private DatasetPath dst;

  @BeforeEach
  void roots() {
    zfs = new CliZfs(GUEST.launcher());
    next++;
    src = DatasetPath.of(GUEST.source() + "/t" + next);
    dst = DatasetPath.of(GUEST.sink() + "/r" + next);
    GUEST.run("zfs", "create", src.toString());
    // the test reads replicas; with atime on, reading would modify them and the next
    // incremental receive would be refused
    GUEST.run("zfs", "create", "-o", "atime=off", dst.toString());
  }

  /** After every scenario: of our holds only the last-received hold is left, on the receiver. */
  @AfterEach
  void noLeftoverHolds() {
    String holds =
        GUEST.sh(
            "zfs list -H -t snapshot -o name -r " + src + " " + dst + " | xargs -r zfs holds -H");
    List<String> ours = new ArrayList<>();
    for (String line : holds.split("\n", 0)) {
      String[] f = line.split("\t", 0);
      if (f.length >= 2 && f[1].startsWith("zrepl_")) {
        ours.add(f[0] + " " + f[1]);
      }
    }
    assertThat(ours)
        .as("holds of ours after the scenario (zfs holds output:\n%s)", holds)
        .allSatisfy(
            h -> assertThat(h).startsWith(dst + "/").endsWith(" " + NAMES.lastReceivedHold()));
  }

  private DatasetPath fs(String name) {
    DatasetPath p = src.child(name);
    GUEST.run("zfs", "create", p.toString());
    return p;
  }

  private void writeRandom(DatasetPath fs, String file, int bytes) {
    GUEST.sh("head -c " + bytes + " /dev/urandom > /mnt/" + fs + "/" + file + " && sync");
  }

  private String checksum(DatasetPath fs, String file) {
    if (GUEST
        .run("zfs", "get", "-H", "-o", "value", "mounted", fs.toString())
        .strip()
        .equals("no")) {
      GUEST.run("zfs", "mount", fs.toString());
    }
    String mnt = GUEST.run("zfs", "get", "-H", "-o", "value", "mountpoint", fs.toString()).strip();
    return GUEST.sh("sha256sum < " + mnt + "/" + file).split(" ", 0)[0];
  }

  private DatasetPath target(DatasetPath source) {
    return dst.append(source.trimPrefix(src));
  }

  private LocalSender sender(Set<SendFlag> flags) {
    return new LocalSender(
        zfs, DatasetFilter.of(Map.of(src + "<", "ok", src.toString(), "!")), JOB, flags);
  }

  private ReplicationReport run(Sender sender, ReplicationPolicy policy, ProgressListener l) {
    LocalReceiver receiver = new LocalReceiver(zfs, s -> Optional.of(target(s)), JOB);
    return new ReplicationEngine(clock, clock::sleep).run(sender, receiver, policy, l);
  }

  private ReplicationReport run() {
    return run(sender(Set.of()), ReplicationPolicy.defaults(), ProgressListener.none());
  }

  private FilesystemVersion snapshot(DatasetPath fs, String name) {
    zfs.snapshot(List.of(fs), name);
    return zfs.listVersions(fs).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<String> names(DatasetPath fs, boolean bookmarks) {
    return zfs.listVersions(fs).stream()
        .filter(v -> bookmarks ? v.isBookmark() : v.isSnapshot())
        .map(FilesystemVersion::name)
        .toList();
  }

  private long sendSize(String... args) {
    String out =
        GUEST.sh("zfs send -nvP " + String.join(" ", args) + " | awk '$1==\"size\"{print $2}'");
    return Long.parseLong(out.strip());
  }

  /** Cuts the next stream at a random offset, then checks the next run resumed from the token. */
  private void cutAndResume(DatasetPath a, long fullSize) {
    long cut = fullSize / 4 + (long) (random.nextDouble() * fullSize / 2);
    ReplicationReport cutRun =
        run(
            new TruncatingSender(sender(Set.of()), cut),
            ReplicationPolicy.defaults().withMaxAttempts(1),
            ProgressListener.none());
    assertThat(cutRun.result(a).orElseThrow())
        .as("cut at byte %d of %d: %s", cut, fullSize, cutRun.describe())
        .isInstanceOf(FilesystemResult.Failed.class);
    String token =
        GUEST.run("zfs", "get", "-H", "-o", "value", "receive_resume_token", target(a).toString());
    assertThat(token.strip())
        .as("resume token after a cut at %d; first run: %s", cut, cutRun.describe())
        .startsWith("1-");

    RecordingListener events = new RecordingListener();
    ReplicationReport resumed = run(sender(Set.of()), ReplicationPolicy.defaults(), events);

    assertThat(resumed.isSuccess()).as(resumed.describe()).isTrue();
    assertThat(events.of(ProgressEvent.StepStarted.class))
        .as("the first step of the run after the cut at %d resumes", cut)
        .first()
        .extracting(ProgressEvent.StepStarted::resumed)
        .isEqualTo(true);
    long resumedBytes = events.of(ProgressEvent.StepCompleted.class).get(0).bytes();
    assertThat(resumedBytes)
        .as("bytes of the resumed step (cut at %d of %d)", cut, fullSize)
        .isLessThan(fullSize - cut / 2);
    assertThat(
            GUEST
                .run(
                    "zfs", "get", "-H", "-o", "value", "receive_resume_token", target(a).toString())
                .strip())
        .isEqualTo("-");
  }

  @Test
  void fullAndIncrementalSendsCutAtARandomOffsetResumeFromTheToken() {
    DatasetPath a = fs("a");
    writeRandom(a, "f", FILE_BYTES);
    snapshot(a, "s1");
    cutAndResume(a, sendSize(a + "@s1"));
    assertThat(checksum(target(a), "f")).isEqualTo(checksum(a, "f"));

    writeRandom(a, "g", FILE_BYTES);
    snapshot(a, "s2");
    cutAndResume(a, sendSize("-i", a + "@s1", a + "@s2"));
    assertThat(names(target(a), false)).containsExactly("s1", "s2");
    assertThat(checksum(target(a), "g")).isEqualTo(checksum(a, "g"));
  }

  @Test
  void cursorBookmarkAndLastReceivedHoldMoveWithEachRun() {
    DatasetPath a = fs("a");
    writeRandom(a, "f", 4096);
    FilesystemVersion s1 = snapshot(a, "s1");
    assertThat(run().isSuccess()).isTrue();
    assertThat(names(a, true)).containsExactly(NAMES.cursorBookmark(s1.guid()));
    assertThat(zfs.holds(target(a), "s1")).contains(NAMES.lastReceivedHold());

    FilesystemVersion s2 = snapshot(a, "s2");
    assertThat(run().isSuccess()).isTrue();

    assertThat(names(a, true)).containsExactly(NAMES.cursorBookmark(s2.guid()));
    assertThat(zfs.holds(target(a), "s1")).doesNotContain(NAMES.lastReceivedHold());
    assertThat(zfs.holds(target(a), "s2")).contains(NAMES.lastReceivedHold());
  }

  @Test
  void stepHoldsAreTakenDuringTheStepAndReleasedAfterIt() {
    DatasetPath a = fs("a");
    writeRandom(a, "f", 4096);
    snapshot(a, "s1");
    assertThat(run().isSuccess()).isTrue();
    snapshot(a, "s2");
    List<Set<String>> seen = new ArrayList<>();
    LocalSender plain = sender(Set.of());
    Sender observing =
        new Sender() {
          @Override
          public Set<Guarantee> guarantees() {
            return plain.guarantees();
          }

          @Override
          public List<SenderFilesystem> listFilesystems() {
            return plain.listFilesystems();
          }

          @Override
          public Map<DatasetPath, List<FilesystemVersion>> listVersions(
              Collection<DatasetPath> filesystems) {
            return plain.listVersions(filesystems);
          }

          @Override
          public SendStepResponse send(SendStepRequest request) {
            SendStepResponse r = plain.send(request);
            seen.add(zfs.holds(a, "s1"));
            seen.add(zfs.holds(a, "s2"));
            return r;
          }

          @Override
          public OptionalLong estimateSize(SendStepRequest request) {
            return plain.estimateSize(request);
          }

          @Override
          public void sendCompleted(SendCompletedRequest request) {
            plain.sendCompleted(request);
          }

          @Override
          public void destroySnapshots(DatasetPath fs, List<FilesystemVersion> snapshots) {
            plain.destroySnapshots(fs, snapshots);
          }
        };

    assertThat(run(observing, ReplicationPolicy.defaults(), ProgressListener.none()).isSuccess())
        .isTrue();

    assertThat(seen).hasSize(2).allSatisfy(h -> assertThat(h).contains(NAMES.stepHold()));
    assertThat(zfs.holds(a, "s1")).doesNotContain(NAMES.stepHold());
    assertThat(zfs.holds(a, "s2")).doesNotContain(NAMES.stepHold());
  }

  @Test
  void notReplicatedPruningKeepsWhatTheCursorHasNotReached() {
    DatasetPath a = fs("a");
    writeRandom(a, "f", 4096);
    snapshot(a, "s1");
    snapshot(a, "s2");
    ReplicationPolicy all =
        ReplicationPolicy.defaults()
            .withPlanning(
                org.zrepl.domain.replication.PlanningPolicy.defaults()
                    .withInitialReplication(org.zrepl.domain.replication.InitialReplication.ALL));
    assertThat(run(sender(Set.of()), all, ProgressListener.none()).isSuccess()).isTrue();
    snapshot(a, "s3");
    snapshot(a, "s4");
    PruneTarget target =
        new PruneTarget(
            JOB,
            PruneSide.SENDER,
            a::equals,
            List.of(new KeepRule.KeepNotReplicated()),
            PruneContexts.sender(JOB, Map.of()));

    PruneReport report = new Pruner(zfs).prune(target);

    assertThat(report.complete()).as(report.toString()).isTrue();
    assertThat(names(a, false)).containsExactly("s2", "s3", "s4");
    assertThat(names(target(a), false)).containsExactly("s1", "s2");
  }

  @Test
  void encryptedDatasetReplicatesWithARawSend() {
    String key = "/root/zrepl-it-" + GUEST.source() + ".key";
    GUEST.sh("printf 'correct horse battery' > " + key);
    DatasetPath enc = src.child("enc");
    GUEST.run(
        "zfs",
        "create",
        "-o",
        "encryption=on",
        "-o",
        "keyformat=passphrase",
        "-o",
        "keylocation=file://" + key,
        enc.toString());
    writeRandom(enc, "f", 65536);
    snapshot(enc, "s1");
    // send.encrypted (raw sends of encrypted filesystems only), as zrepl refuses a raw send of an
    // encrypted filesystem without it; the filter holds just the encrypted filesystem.
    LocalSender raw =
        new LocalSender(
            zfs, DatasetFilter.of(Map.of(enc.toString(), "ok")), JOB, Set.of(SendFlag.RAW), true);

    assertThat(run(raw, ReplicationPolicy.defaults(), ProgressListener.none()).isSuccess())
        .isTrue();
    writeRandom(enc, "g", 65536);
    snapshot(enc, "s2");
    ReplicationReport second = run(raw, ReplicationPolicy.defaults(), ProgressListener.none());

    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    DatasetPath t = target(enc);
    assertThat(names(t, false)).containsExactly("s1", "s2");
    String props =
        GUEST.run("zfs", "get", "-H", "-o", "property,value", "encryption,keystatus", t.toString());
    // a raw stream arrives still encrypted, its key not loaded: the sink never saw plaintext
    assertThat(props).contains("encryption\taes-256-gcm").contains("keystatus\tunavailable");
    GUEST.sh("zfs load-key -L file://" + key + " " + t + " && zfs mount " + t);
    assertThat(checksum(t, "g")).isEqualTo(checksum(enc, "g"));
    GUEST.run("rm", "-f", key);
  }
}
