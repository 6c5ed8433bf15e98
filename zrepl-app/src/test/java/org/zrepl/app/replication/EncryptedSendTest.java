package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.target;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.SendStepResponse.Encryption;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * {@code send.encrypted} and {@code send.raw} as zrepl checks them on the sender, per filesystem,
 * before anything is sent.
 */
class EncryptedSendTest {

  private static DatasetPath encrypted(FakeWorld w, String path) {
    DatasetPath fs = DatasetPath.of(path);
    w.zfs.createFilesystem(
        fs, Map.of("encryption", "on", "keyformat", "passphrase", "keylocation", "prompt"), true);
    w.write(fs, path);
    return fs;
  }

  private static ReplicationReport run(FakeWorld w, DatasetFilter f, boolean raw, boolean enc) {
    Set<SendFlag> flags = raw || enc ? Set.of(SendFlag.RAW) : Set.of();
    LocalSender sender = new LocalSender(w.zfs, f, FakeWorld.JOB, flags, enc);
    LocalReceiver receiver = w.receiver();
    return new ReplicationEngine(w.clock, w.clock::sleep)
        .run(sender, receiver, ReplicationPolicy.defaults(), w.events);
  }

  private String prop(FakeWorld w, DatasetPath fs, String name) {
    return w.zfs.getProperties(fs.toString(), Set.of(name)).get(name).value();
  }

  @Test
  void encryptedOnlySendsTheEncryptedFilesystemRawAndRefusesThePlaintextOne() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath secret = encrypted(w, "src/secret");
    DatasetPath plain = w.fs("src/plain");
    w.snapshot("s1", secret, plain);

    ReplicationReport report = run(w, filter("src/secret", "src/plain"), false, true);

    assertThat(report.isSuccess()).isFalse();
    assertThat(report.result(secret).orElseThrow()).isInstanceOf(FilesystemResult.Ok.class);
    FilesystemResult refused = report.result(plain).orElseThrow();
    assertThat(refused).isInstanceOf(FilesystemResult.Failed.class);
    assertThat(refused.describe())
        .contains("src/plain")
        .contains("send.encrypted")
        .contains("not encrypted");
    assertThat(w.exists(target(plain))).as("nothing of the plaintext filesystem arrives").isFalse();
    assertThat(w.zfs.processesStarted("send")).as("one zfs send: the encrypted one").isEqualTo(1);
    assertThat(prop(w, target(secret), "encryption")).isEqualTo("aes-256-gcm");
    assertThat(prop(w, target(secret), "keystatus"))
        .as("raw: the receiver has the ciphertext, not the key")
        .isEqualTo("unavailable");
    assertThat(w.allHolds())
        .as("nothing held for the refused filesystem")
        .noneMatch(h -> h.startsWith("src/plain"));
    assertThat(w.events.of(ProgressEvent.StreamOpened.class))
        .as("the step is marked encrypted, as zrepl's encrypted=yes")
        .containsExactly(new ProgressEvent.StreamOpened(secret, 1, 1, Encryption.ENCRYPTED));
  }

  @Test
  void withoutEncryptedAnEncryptedFilesystemIsSentAsPlaintext() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath secret = encrypted(w, "src/secret");
    w.snapshot("s1", secret);

    ReplicationReport report = run(w, filter("src/secret"), false, false);

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(prop(w, target(secret), "encryption"))
        .as("decrypted on the way: the replica below an unencrypted parent is not encrypted")
        .isEqualTo("off");
    assertThat(w.read(target(secret))).isEqualTo("src/secret");
    assertThat(w.events.of(ProgressEvent.StreamOpened.class))
        .as("a plaintext stream: encrypted=no")
        .containsExactly(new ProgressEvent.StreamOpened(secret, 1, 1, Encryption.PLAIN));
  }

  @Test
  void rawWithoutEncryptedRefusesAnEncryptedFilesystemAsZreplDoes() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath secret = encrypted(w, "src/secret");
    DatasetPath plain = w.fs("src/plain");
    w.snapshot("s1", secret, plain);

    ReplicationReport report = run(w, filter("src/secret", "src/plain"), true, false);

    assertThat(report.result(plain).orElseThrow()).isInstanceOf(FilesystemResult.Ok.class);
    assertThat(report.result(secret).orElseThrow().describe())
        .contains("send.raw")
        .contains("is encrypted");
    assertThat(w.exists(target(secret))).isFalse();
  }

  @Test
  void encryptedIsRefusedAtConstructionWhereTheZfsHasNoNativeEncryption() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.zfsFuse());
    assertThatThrownBy(
            () -> new LocalSender(w.zfs, filter("src"), "job", Set.of(SendFlag.RAW), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("send.encrypted")
        .hasMessageContaining("zfs-fuse")
        .hasMessageContaining("no native encryption");
  }

  @Test
  void aResumeTokenOfAPlaintextSendIsRefusedAndTheStepStartsOverRaw() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath secret = encrypted(w, "src/secret");
    w.write(secret, "x".repeat(20_000));
    w.snapshot("s1", secret);
    LocalSender plainSender = new LocalSender(w.zfs, filter("src/secret"), FakeWorld.JOB, Set.of());
    w.zfs.cutNextSendAfter(10_000);
    ReplicationReport first =
        new ReplicationEngine(w.clock, w.clock::sleep)
            .run(
                plainSender,
                w.receiver(),
                ReplicationPolicy.defaults().withMaxAttempts(1),
                w.events);
    assertThat(first.isSuccess()).as("the plaintext send was cut").isFalse();
    assertThat(FakeWorld.partialReceives(w.zfs)).as("resumable state kept").isNotEmpty();

    ReplicationReport second = run(w, filter("src/secret"), false, true);

    assertThat(second.isSuccess()).as(second.describe()).isTrue();
    assertThat(second.result(secret).orElseThrow().describe())
        .as("the whole stream again, not the plaintext rest of the token")
        .contains("full @s1 (20");
    assertThat(prop(w, target(secret), "keystatus"))
        .as("received raw: the plaintext partial state was discarded, not resumed")
        .isEqualTo("unavailable");
    assertThat(FakeWorld.partialReceives(w.zfs)).isEmpty();
  }
}
