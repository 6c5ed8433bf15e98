package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.replication.BandwidthLimit;
import org.zrepl.app.replication.ReplicationPolicy;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.replication.InitialReplication;
import org.zrepl.port.zfs.SendFlag;

class ReplicationBindingTest {

  private static final String LOCAL =
      """
      jobs:
      - name: l
        type: local
        mapping: { "src<": "dst/src" }
        snapshotting: { type: manual }
        pruning:
          keep_sender: [ { type: not_replicated } ]
          keep_receiver: [ { type: last_n, count: 3 } ]
      %s
      """;

  private static Job.Local local(String extra) {
    return (Job.Local) TestConfigs.job(LOCAL.formatted(extra.indent(2).stripTrailing()), "l");
  }

  @Test
  void defaultsAreZreplsDefaults() {
    ReplicationPolicy p = ReplicationBinding.policy(local(""));

    assertThat(p.planning().initialReplication()).isEqualTo(InitialReplication.MOST_RECENT);
    assertThat(p.concurrencySteps()).isEqualTo(1);
    assertThat(p.bandwidthLimits()).isEmpty();
    assertThat(p.planning().rollbackRule()).isEmpty();
    assertThat(ReplicationBinding.sendFlags(local("").send())).isEmpty();
  }

  @Test
  void initialReplicationConcurrencyAndTheLowerBandwidthLimitBind() {
    Job.Local j =
        local(
            """
            conflict_resolution: { initial_replication: all }
            replication: { concurrency: { steps: 3 } }
            send: { bandwidth_limit: { max: 2 MiB } }
            recv: { bandwidth_limit: { max: 1 MiB, bucket_capacity: 256 KiB } }
            """);

    ReplicationPolicy p = ReplicationBinding.policy(j);

    assertThat(p.planning().initialReplication()).isEqualTo(InitialReplication.ALL);
    assertThat(p.concurrencySteps()).isEqualTo(3);
    assertThat(p.bandwidthLimits())
        .containsExactly(
            new BandwidthLimit(2L << 20, 128 << 10), new BandwidthLimit(1L << 20, 256 << 10));
  }

  @Test
  void snapshotFilterAndRollbackRuleBind() {
    Job.Local j =
        local(
            """
            conflict_resolution: { rollback_receiver_snapshots: "^manual_" }
            replication: { snapshots: { regex: "^zrepl_" } }
            """);

    ReplicationPolicy p = ReplicationBinding.policy(j);

    assertThat(p.planning().snapshotFilter().test("zrepl_20261125_0100")).isTrue();
    assertThat(p.planning().snapshotFilter().test("manual_before_upgrade")).isFalse();
    assertThat(p.planning().rollbackRule())
        .map(java.util.regex.Pattern::pattern)
        .hasValue("^manual_");
  }

  @Test
  void sendFlagsAndReceiveOptionsBind() {
    Job.Local j =
        local(
            """
            send: { encrypted: true, compressed: true, large_blocks: true, send_properties: true }
            recv:
              properties:
                inherit: [ mountpoint ]
                override: { "canmount": "off" }
            """);

    assertThat(ReplicationBinding.sendFlags(j.send()))
        .isEqualTo(
            Set.of(SendFlag.RAW, SendFlag.COMPRESSED, SendFlag.LARGE_BLOCKS, SendFlag.PROPERTIES));
    assertThat(ReplicationBinding.receiveExclusions(j.recv())).containsExactly("mountpoint");
    assertThat(ReplicationBinding.receiveOverrides(j.recv())).containsEntry("canmount", "off");
  }

  @Test
  void pushUsesItsSendLimitAndPullItsRecvLimit() {
    String yaml =
        """
        jobs:
        - name: p
          type: push
          connect: { type: tcp, address: "b:1" }
          filesystems: { "src<": true }
          snapshotting: { type: manual }
          send: { bandwidth_limit: { max: 4 KiB } }
          conflict_resolution: { initial_replication: fail }
          pruning:
            keep_sender: [ { type: not_replicated } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        - name: q
          type: pull
          connect: { type: tcp, address: "b:1" }
          root_fs: dst/pulled
          interval: 10m
          recv: { bandwidth_limit: { max: 8 KiB } }
          replication: { concurrency: { steps: 2 } }
          pruning:
            keep_sender: [ { type: not_replicated } ]
            keep_receiver: [ { type: last_n, count: 3 } ]
        """;
    ReplicationPolicy push = ReplicationBinding.policy((Job.Push) TestConfigs.job(yaml, "p"));
    ReplicationPolicy pull = ReplicationBinding.policy((Job.Pull) TestConfigs.job(yaml, "q"));

    assertThat(push.bandwidthLimits()).containsExactly(new BandwidthLimit(4096, 128 << 10));
    assertThat(push.planning().initialReplication()).isEqualTo(InitialReplication.FAIL);
    assertThat(pull.bandwidthLimits()).containsExactly(new BandwidthLimit(8192, 128 << 10));
    assertThat(pull.concurrencySteps()).isEqualTo(2);
  }

  @Test
  void protectionBindsBothModes() {
    Job.Local j =
        local(
            "replication: { protection: { initial: guarantee_nothing,"
                + " incremental: guarantee_incremental } }");

    assertThat(ReplicationBinding.protection(j.replication()))
        .isEqualTo(
            new org.zrepl.app.endpoint.Protection(
                org.zrepl.app.endpoint.Protection.Kind.NOTHING,
                org.zrepl.app.endpoint.Protection.Kind.INCREMENTAL));
    assertThat(ReplicationBinding.protection(local("").replication()))
        .isEqualTo(org.zrepl.app.endpoint.Protection.defaults());
  }

  @Test
  void pushRefusesGuaranteeNothingAndPullAnythingButTheDefault() {
    Job.Local nothing = local("replication: { protection: { incremental: guarantee_nothing } }");
    Job.Local incremental =
        local("replication: { protection: { initial: guarantee_incremental } }");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ReplicationBinding.pushProtection("p", nothing.replication()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job 'p'")
        .hasMessageContaining("replication.protection guarantee_nothing")
        .hasMessageContaining("sink");
    assertThat(ReplicationBinding.pushProtection("p", incremental.replication()).initial())
        .isEqualTo(org.zrepl.app.endpoint.Protection.Kind.INCREMENTAL);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ReplicationBinding.pullProtection("q", incremental.replication()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job 'q'")
        .hasMessageContaining("guarantee_incremental/guarantee_resumability")
        .hasMessageContaining("source");
    assertThat(ReplicationBinding.pullProtection("q", local("").replication()))
        .isEqualTo(org.zrepl.app.endpoint.Protection.defaults());
  }

  @Test
  void encryptedSenderIsRefusedOnZfsFuseNamingTheJob() {
    Job.Local j = local("send: { encrypted: true }");
    org.zrepl.zfs.fake.InMemoryZfs fuse =
        new org.zrepl.zfs.fake.InMemoryZfs(
            org.zrepl.port.zfs.ZfsCapabilities.zfsFuse(),
            java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC),
            1);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ReplicationBinding.sender(
                    fuse, j.mapping().mapping().asFilter(), j.name(), j.send()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("job 'l': send.encrypted: true")
        .hasMessageContaining("no native encryption");
  }
}
