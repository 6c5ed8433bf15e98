package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.config.ConfigLoaderTest.errors;
import static org.zrepl.app.config.ConfigLoaderTest.valid;

import org.junit.jupiter.api.Test;
import org.zrepl.domain.prune.KeepRule;

/** {@code not_replicated.targets}: zrepl's {@code this_job} by default, {@code all} for fan-out. */
class NotReplicatedTargetsTest {

  private static String push(String rule) {
    return """
        jobs:
        - name: offsite
          type: push
          connect: { type: tcp, address: "b:1" }
          filesystems: { "tank<": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - %s
            keep_receiver:
            - { type: last_n, count: 1 }
        """
        .formatted(rule);
  }

  private static KeepRule senderRule(String rule) {
    Job.Push p = (Job.Push) valid(push(rule)).job("offsite").orElseThrow();
    return p.pruning().keepSender().get(0);
  }

  @Test
  void withoutTargetsItIsZreplsRule() {
    assertThat(senderRule("{ type: not_replicated }"))
        .isEqualTo(new KeepRule.KeepNotReplicated(true, false));
    assertThat(senderRule("{ type: not_replicated, targets: this_job }"))
        .isEqualTo(new KeepRule.KeepNotReplicated(true, false));
  }

  @Test
  void allWaitsForEveryTarget() {
    KeepRule r =
        senderRule("{ type: not_replicated, targets: all, keep_snapshot_at_cursor: false }");
    assertThat(r).isEqualTo(new KeepRule.KeepNotReplicated(false, true));
    assertThat(r.describe()).isEqualTo("not_replicated keep_snapshot_at_cursor=false targets=all");
  }

  @Test
  void anotherValueIsRefusedAtItsLocation() {
    assertThat(errors(push("{ type: not_replicated, targets: every }")))
        .singleElement()
        .asString()
        .startsWith("9:40: ")
        .contains("'targets' must be one of this_job, all, got 'every'");
  }

  /** The fan-out example of operator-guide.md. */
  @Test
  void theOperatorGuidesFanOutExampleLoads() {
    String yaml =
        """
        jobs:
        - name: to_disk
          type: local
          mapping: { "tank/data<": "backup/data" }
          snapshotting: { type: periodic, prefix: zrepl_, interval: 1h }
          pruning:
            keep_sender:
            - { type: not_replicated, targets: all }
            - { type: last_n, count: 24 }
            keep_receiver: [ { type: grid, grid: "24x1h | 30x1d", regex: "^zrepl_" } ]
        - name: to_offsite
          type: push
          connect: { type: tls, address: "offsite.example:8888", ca: /etc/zrepl/ca.crt,
                     cert: /etc/zrepl/laptop.crt, key: /etc/zrepl/laptop.key, server_cn: offsite }
          filesystems: { "tank/data<": true }
          snapshotting: { type: manual }
          pruning:
            keep_sender:
            - { type: not_replicated, targets: all }
            - { type: last_n, count: 24 }
            keep_receiver: [ { type: grid, grid: "7x1d | 12x30d", regex: "^zrepl_" } ]
        - name: fleet_tls
          type: sink
          root_fs: backup/fleet
          serve: { type: tls, listen: ":8888", ca: /etc/zrepl/ca.crt, cert: /etc/zrepl/backup.crt,
                   key: /etc/zrepl/backup.key, client_cns: [ laptop1, laptop2, build01 ] }
          recv: { placeholder: { encryption: inherit } }
        - name: fleet_lan
          type: sink
          root_fs: backup/lan
          serve: { type: tcp, listen: ":8889", clients: { "10.0.0.0/24": "lan-*" } }
          recv: { placeholder: { encryption: inherit } }
        """;
    Config c = valid(yaml);
    assertThat(((Job.Local) c.job("to_disk").orElseThrow()).pruning().keepSender().get(0))
        .isEqualTo(new KeepRule.KeepNotReplicated(true, true));
  }
}
