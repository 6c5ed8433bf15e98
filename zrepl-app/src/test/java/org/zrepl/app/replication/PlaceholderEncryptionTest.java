package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.p;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.PlaceholderEncryption;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * {@code recv.placeholder.encryption} as zrepl 0.7 has it: {@code unspecified} refuses to create a
 * placeholder (except a sink's client root, which inherits), {@code inherit} creates it without an
 * {@code encryption} option, {@code off} with {@code encryption=off}.
 */
class PlaceholderEncryptionTest {

  /** {@code src/a/b} replicated without {@code src/a}: {@code dst/src/a} must be a placeholder. */
  private static ReplicationReport run(
      FakeWorld w, PlaceholderEncryption e, Optional<DatasetPath> clientRoot) {
    LocalReceiver receiver =
        new LocalReceiver(
            w.zfs,
            s -> Optional.of(p("dst/enc").append(s.components())),
            FakeWorld.JOB,
            Map.of(),
            Set.of(),
            e,
            clientRoot);
    return new ReplicationEngine(w.clock, w.clock::sleep)
        .run(w.sender(filter("src/a/b")), receiver, ReplicationPolicy.defaults(), w.events);
  }

  private static FakeWorld world() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    w.zfs.createFilesystem(
        p("dst/enc"),
        Map.of("encryption", "on", "keyformat", "passphrase", "keylocation", "prompt"),
        false);
    DatasetPath b = w.fs("src/a/b");
    w.snapshot("s1", b);
    return w;
  }

  private static String encryption(FakeWorld w, String fs) {
    return w.zfs.getProperties(fs, Set.of("encryption")).get("encryption").value();
  }

  @Test
  void unspecifiedRefusesToCreateAPlaceholderAndReceivesNothing() {
    FakeWorld w = world();

    ReplicationReport report = run(w, PlaceholderEncryption.UNSPECIFIED, Optional.empty());

    FilesystemResult r = report.result(p("src/a/b")).orElseThrow();
    assertThat(r).isInstanceOf(FilesystemResult.Failed.class);
    assertThat(r.describe())
        .contains("cannot create placeholder filesystem dst/enc/src")
        .contains("placeholder filesystem encryption handling is unspecified in receiver config")
        .contains("recv.placeholder.encryption");
    assertThat(w.exists(p("dst/enc/src"))).isFalse();
    assertThat(w.exists(p("dst/enc/src/a/b"))).isFalse();
  }

  @Test
  void unspecifiedStillCreatesTheSinksClientRootInheriting() {
    FakeWorld w = world();
    w.zfs.createFilesystem(p("dst/enc/src"), Map.of(), false);
    w.zfs.createFilesystem(p("dst/enc/src/a"), Map.of(), false);
    w.zfs.destroyDataset(p("dst/enc/src/a"), false);

    // the client root is dst/enc/src/a here: the only missing parent of dst/enc/src/a/b
    ReplicationReport report =
        run(w, PlaceholderEncryption.UNSPECIFIED, Optional.of(p("dst/enc/src/a")));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(encryption(w, "dst/enc/src/a")).isEqualTo("aes-256-gcm");
  }

  @Test
  void inheritCreatesPlaceholdersThatInheritTheParentsEncryption() {
    FakeWorld w = world();

    ReplicationReport report = run(w, PlaceholderEncryption.INHERIT, Optional.empty());

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(encryption(w, "dst/enc/src")).isEqualTo("aes-256-gcm");
    assertThat(encryption(w, "dst/enc/src/a")).isEqualTo("aes-256-gcm");
    assertThat(encryption(w, "dst/enc/src/a/b"))
        .as("received as plaintext below an encrypted placeholder: encrypted here")
        .isEqualTo("aes-256-gcm");
  }

  @Test
  void offCreatesUnencryptedPlaceholders() {
    FakeWorld w = world();

    ReplicationReport report = run(w, PlaceholderEncryption.OFF, Optional.empty());

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(encryption(w, "dst/enc/src")).isEqualTo("off");
    assertThat(encryption(w, "dst/enc/src/a")).isEqualTo("off");
    assertThat(encryption(w, "dst/enc/src/a/b")).isEqualTo("off");
  }

  @Test
  void offOnAZfsWithoutEncryptionCreatesPlainPlaceholders() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.zfsFuse());
    w.zfs.createFilesystem(p("dst/enc"), Map.of(), false);
    DatasetPath b = w.fs("src/a/b");
    w.snapshot("s1", b);

    ReplicationReport report = run(w, PlaceholderEncryption.OFF, Optional.empty());

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(w.exists(p("dst/enc/src/a"))).isTrue();
  }
}
