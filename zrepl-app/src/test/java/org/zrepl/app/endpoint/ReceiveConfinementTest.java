package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** A sender's {@code mountpoint}/{@code sharenfs}/{@code sharesmb} never reach the receiver. */
class ReceiveConfinementTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath TARGET = DatasetPath.of("dst/src/a");

  private static InMemoryZfs zfs(String flavour) {
    ZfsCapabilities caps =
        flavour.equals("zfs-fuse") ? ZfsCapabilities.zfsFuse() : ZfsCapabilities.openZfs21();
    InMemoryZfs zfs =
        new InMemoryZfs(
            caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 3);
    zfs.createPool("src");
    zfs.createPool("dst");
    zfs.createFilesystem(
        A,
        Map.of("mountpoint", "/etc/evil", "sharenfs", "rw=*", "readonly", "on", "user:x", "y"),
        false);
    zfs.snapshot(List.of(A), "s1");
    return zfs;
  }

  private static void replicate(InMemoryZfs zfs, LocalReceiver receiver, Step step)
      throws Exception {
    LocalSender sender =
        new LocalSender(
            zfs, DatasetFilter.of(Map.of("src/a", "ok")), "j", Set.of(SendFlag.PROPERTIES));
    try (InputStream in = sender.send(SendStepRequest.of(A, step)).stream()) {
      receiver.receive(ReceiveStepRequest.of(A, step), in);
    }
  }

  private static LocalReceiver receiver(InMemoryZfs zfs, Map<String, String> override) {
    return new LocalReceiver(
        zfs,
        s -> Optional.of(DatasetPath.of("dst").append(s.components())),
        "j",
        override,
        Set.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zfs-fuse", "OpenZFS"})
  void aSendersMountpointAndSharesAreNeverTaken(String flavour) throws Exception {
    InMemoryZfs zfs = zfs(flavour);
    LocalReceiver receiver = receiver(zfs, Map.of());
    FilesystemVersion s1 = zfs.listVersions(A).get(0);

    replicate(zfs, receiver, Step.full(s1));
    zfs.snapshot(List.of(A), "s2");
    FilesystemVersion s2 = zfs.listVersions(A).get(1);
    replicate(zfs, receiver, Step.incremental(s1, s2));

    Map<String, Property> got =
        zfs.getProperties(
            TARGET.toString(), Set.of("mountpoint", "sharenfs", "readonly", "user:x"));
    assertThat(got.get("mountpoint"))
        .isEqualTo(new Property("/dst/src/a", Property.Source.INHERITED));
    assertThat(got.get("sharenfs")).isEqualTo(new Property("off", Property.Source.DEFAULT));
    // what is not confined still arrives
    assertThat(got.get("readonly").value()).isEqualTo("on");
    assertThat(got.get("user:x").value()).isEqualTo("y");
    if (flavour.equals("zfs-fuse")) {
      assertThat(zfs.processesStarted("inherit")).isPositive();
    } else {
      assertThat(zfs.processesStarted("inherit")).isZero(); // -x did it
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "legacy"})
  void anOverrideThatMountsNothingIsApplied(String value) throws Exception {
    InMemoryZfs zfs = zfs("OpenZFS");
    replicate(
        zfs, receiver(zfs, Map.of("mountpoint", value)), Step.full(zfs.listVersions(A).get(0)));

    assertThat(zfs.getProperties(TARGET.toString(), Set.of("mountpoint")).get("mountpoint"))
        .isEqualTo(Property.local(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/srv/backup", "/", "/dst/src/a"})
  void anOverrideThatMountsEveryReplicaAtOnePathIsRefused(String value) {
    assertThatThrownBy(() -> receiver(zfs("OpenZFS"), Map.of("mountpoint", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mountpoint=" + value)
        .hasMessageContaining("use none or legacy");
  }
}
