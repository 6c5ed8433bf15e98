package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.domain.replication.Versions.batched;
import static org.zrepl.domain.replication.Versions.step;
import static org.zrepl.domain.replication.Versions.v;
import static org.zrepl.domain.replication.Versions.versions;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepTest {

  @Test
  void kinds() {
    assertThat(step(null, "@a,1").isFull()).isTrue();
    assertThat(step("#a,1", "@b,2").isFull()).isFalse();
    assertThat(step("#a,1", "@b,2").sendsIntermediates()).isFalse();
    Step i = batched("@a,1", "@d,4", "@b,2", "@c,3");
    assertThat(i.sendsIntermediates()).isTrue();
    assertThat(i.received()).containsExactlyElementsOf(versions("@b,2", "@c,3", "@d,4"));
    assertThat(i.describe()).isEqualTo("@a -> @d (-I, 3 snapshots)");
    assertThat(step(null, "@a,1").describe()).isEqualTo("full @a");
  }

  @Test
  void toMustBeASnapshot() {
    assertThatThrownBy(() -> step("@a,1", "#b,2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("to must be a snapshot, got #b(guid=2,txg=2)");
  }

  @Test
  void fromMustBeOlder() {
    assertThatThrownBy(() -> step("@b,2", "@a,1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "from must be older than to (createtxg), got @b(guid=2,txg=2) -> @a(guid=1,txg=1)");
    assertThatThrownBy(() -> step("@a,1,5", "@b,2,5")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void intermediatesCannotStartAtABookmarkOrBeFull() {
    assertThatThrownBy(() -> batched("#a,1", "@c,3", "@b,2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-I cannot start from a bookmark, got #a(guid=1,txg=1)");
    assertThatThrownBy(() -> new Step(Optional.empty(), v("@c,3"), versions("@b,2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intermediates need a from version");
  }

  @Test
  void intermediatesMustBeOrderedSnapshotsBetweenFromAndTo() {
    for (List<String> bad :
        List.of(
            List.of("@c,3", "@b,2"),
            List.of("#b,2"),
            List.of("@b,2", "@b2,2"),
            List.of("@e,5"),
            List.of("@z,1"))) {
      assertThatThrownBy(() -> batched("@a,1", "@d,4", bad.toArray(String[]::new)))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("intermediates must be snapshots in createtxg order between");
    }
  }

  @Test
  void plansValidateTheirSteps() {
    assertThatThrownBy(() -> new ReplicationPlan.Incremental(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplicationPlan.Incremental(List.of(step(null, "@a,1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an incremental plan has no full send, got full @a");
    assertThatThrownBy(() -> new ReplicationPlan.Initial(List.of(step("@a,1", "@b,2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("initial replication starts with a full send");
    assertThatThrownBy(
            () -> new ReplicationPlan.Initial(List.of(step(null, "@a,1"), step("@b,2", "@c,3"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step @b -> @c does not start where full @a ends");
    assertThatThrownBy(() -> new Conflict.Diverged(v("@a,1"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ReplicationPlan.RollbackThenIncremental(v("@a,1"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void initialReplicationNames() {
    assertThat(InitialReplication.parse("most_recent")).isEqualTo(InitialReplication.MOST_RECENT);
    assertThat(InitialReplication.parse("all")).isEqualTo(InitialReplication.ALL);
    assertThat(InitialReplication.parse("fail")).isEqualTo(InitialReplication.FAIL);
    assertThatThrownBy(() -> InitialReplication.parse("MOST_RECENT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initial_replication must be one of most_recent, all, fail, got 'MOST_RECENT'");
  }
}
