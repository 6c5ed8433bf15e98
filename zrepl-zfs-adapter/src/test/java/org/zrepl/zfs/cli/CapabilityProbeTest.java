package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.port.zfs.ZfsCapabilities;

class CapabilityProbeTest {

  static ZfsDialect probe(String flavour) {
    CommandResult version = Golden.of(flavour, "probe-version").result(CapabilityProbe.VERSION);
    String usage = Golden.of(flavour, "probe-usage").out();
    Optional<String> pool =
        CapabilityProbe.hasVersionCommand(version)
            ? Optional.empty()
            : Optional.of(Golden.of(flavour, "probe-zpool-upgrade").out());
    Optional<CommandResult> holds =
        Optional.of(Golden.of(flavour, "probe-holds").result(CapabilityProbe.HOLDS));
    return CapabilityProbe.parse(version, usage, pool, holds);
  }

  @Test
  void zfsFuse() {
    ZfsDialect d = probe(Golden.ZFS_FUSE);

    assertThat(d.capabilities())
        .isEqualTo(
            new ZfsCapabilities(
                "zfs-fuse (pool version 23)",
                false, // zfs list has no -p
                false, // zfs snapshot a@x b@x: "too many arguments"
                false, // zfs destroy fs@a,b: "invalid dataset name"
                false, // no zfs bookmark
                false, // zfs hold/release work, but zfs holds fails (pyzfs.py not found)
                false, // no recv -s / send -t
                false, // no send -n/-v/-P
                false, // no send -w
                false)); // no recv -o / -x
    assertThat(d.getTypeFilter()).isFalse();
    assertThat(d.transientlyBusyDestroy()).isTrue();
    assertThat(d.capabilities())
        .usingRecursiveComparison()
        .ignoringFields("flavour")
        .isEqualTo(ZfsCapabilities.zfsFuse());
  }

  @Test
  void openZfs21() {
    ZfsDialect d = probe(Golden.OPENZFS_21);

    assertThat(d.capabilities())
        .isEqualTo(
            new ZfsCapabilities(
                "OpenZFS 2.1.11", true, true, true, true, true, true, true, true, true));
    assertThat(d.getTypeFilter()).isTrue();
    assertThat(d.transientlyBusyDestroy()).isFalse();
    assertThat(d.capabilities())
        .usingRecursiveComparison()
        .ignoringFields("flavour")
        .isEqualTo(ZfsCapabilities.openZfs21());
  }

  @Test
  void openZfs23IfCaptured() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Golden.exists(Golden.OPENZFS_23, "probe-usage"), "no openzfs-2.3 golden files");
    ZfsDialect d = probe(Golden.OPENZFS_23);

    assertThat(d.capabilities().flavour()).startsWith("OpenZFS 2.3.");
    assertThat(d.capabilities())
        .usingRecursiveComparison()
        .ignoringFields("flavour")
        .isEqualTo(ZfsCapabilities.openZfs23());
    assertThat(d.getTypeFilter()).isTrue();
  }

  @Test
  void groupsContinuationLinesIntoOneSynopsis() {
    var syn = CapabilityProbe.synopses(Golden.of(Golden.OPENZFS_21, "probe-usage").out());

    assertThat(syn.get("receive"))
        .hasSize(3)
        .first()
        .isEqualTo(
            "receive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ..."
                + " <filesystem|volume|snapshot>");
    assertThat(CapabilityProbe.flags(syn, "get")).contains('r', 'H', 'p', 'd', 'o', 't', 's');
    assertThat(CapabilityProbe.flags(syn, "send")).contains('t', 'w', 'n', 'v', 'P');
  }

  @Test
  void aHoldsProbeThatWorksButIsMissingLeavesHoldsOff() {
    CommandResult version = Golden.of(Golden.OPENZFS_21, "probe-version").result(List.of("x"));
    String usage = Golden.of(Golden.OPENZFS_21, "probe-usage").out();

    assertThat(CapabilityProbe.parse(version, usage, Optional.empty(), Optional.empty()))
        .extracting(d -> d.capabilities().holds())
        .isEqualTo(false);
  }

  @Test
  void flavourFromPoolVersionWithoutZfsVersion() {
    CommandResult noVersion = new CommandResult(List.of("zfs", "version"), 2, "", "unrecognized");
    assertThat(
            CapabilityProbe.flavour(
                noVersion, Optional.of("This system supports ZFS pool feature flags.\n")))
        .isEqualTo("OpenZFS (before 0.8, feature flags)");
    assertThat(CapabilityProbe.flavour(noVersion, Optional.of(""))).isEqualTo("unknown ZFS");
  }

  @Test
  void rejectsOutputWithoutSynopses() {
    CommandResult version = new CommandResult(List.of("zfs", "version"), 127, "", "not found");
    assertThatThrownBy(
            () ->
                CapabilityProbe.parse(
                    version, "sh: zfs: not found", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sh: zfs: not found'");
  }
}
