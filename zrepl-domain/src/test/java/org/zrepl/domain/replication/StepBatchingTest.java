package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.domain.replication.Versions.batched;
import static org.zrepl.domain.replication.Versions.step;
import static org.zrepl.domain.replication.Versions.versions;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepBatchingTest {

  @Test
  void contiguousRunBecomesOneIntermediatesStep() {
    List<Step> steps = List.of(step("@a,1", "@b,2"), step("@b,2", "@c,3"), step("@c,3", "@d,4"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "@b,2", "@c,3", "@d,4")))
        .containsExactly(batched("@a,1", "@d,4", "@b,2", "@c,3"));
  }

  @Test
  void senderBookmarksDoNotBlockMerging() {
    List<Step> steps = List.of(step("@a,1", "@b,3"), step("@b,3", "@c,5"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "#x,2", "@b,3", "#y,4", "@c,5")))
        .containsExactly(batched("@a,1", "@c,5", "@b,3"));
  }

  @Test
  void aRunStartingAtABookmarkKeepsItsFirstStepApart() {
    List<Step> steps = List.of(step("#a,1", "@b,2"), step("@b,2", "@c,3"), step("@c,3", "@d,4"));
    assertThat(StepBatching.batch(steps, versions("#a,1", "@b,2", "@c,3", "@d,4")))
        .containsExactly(step("#a,1", "@b,2"), batched("@b,2", "@d,4", "@c,3"));
  }

  @Test
  void aSnapshotTheFilterExcludedSplitsTheRun() {
    // @x lies between @b and @c on the sender but is not replicated: -I from @a or @b would send
    // it, so only the run after it is merged.
    List<Step> steps =
        List.of(
            step("@a,1", "@b,2"), step("@b,2", "@c,4"), step("@c,4", "@d,5"), step("@d,5", "@e,6"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "@b,2", "@x,3", "@c,4", "@d,5", "@e,6")))
        .containsExactly(
            step("@a,1", "@b,2"), step("@b,2", "@c,4"), batched("@c,4", "@e,6", "@d,5"));
  }

  @Test
  void aSnapshotInTheSameTxgAsToSplitsTheRun() {
    List<Step> steps = List.of(step("@a,1", "@b,2"), step("@b,2", "@d,3,4"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "@b,2", "@c,9,4", "@d,3,4")))
        .containsExactly(step("@a,1", "@b,2"), step("@b,2", "@d,3,4"));
  }

  @Test
  void initialFullSendIsNeverMerged() {
    List<Step> steps = List.of(step(null, "@a,1"), step("@a,1", "@b,2"), step("@b,2", "@c,3"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "@b,2", "@c,3")))
        .containsExactly(step(null, "@a,1"), batched("@a,1", "@c,3", "@b,2"));
  }

  @Test
  void singleAndNoSteps() {
    assertThat(StepBatching.batch(List.of(), versions("@a,1"))).isEmpty();
    assertThat(StepBatching.batch(List.of(step("@a,1", "@b,2")), versions("@a,1", "@b,2")))
        .containsExactly(step("@a,1", "@b,2"));
  }

  @Test
  void alreadyBatchedStepsMergeFurther() {
    List<Step> steps = List.of(batched("@a,1", "@c,3", "@b,2"), step("@c,3", "@d,4"));
    assertThat(StepBatching.batch(steps, versions("@a,1", "@b,2", "@c,3", "@d,4")))
        .containsExactly(batched("@a,1", "@d,4", "@b,2", "@c,3"));
  }

  @Test
  void brokenChainIsRejected() {
    List<Step> steps = List.of(step("@a,1", "@b,2"), step("@c,3", "@d,4"));
    assertThatThrownBy(() -> StepBatching.batch(steps, versions("@a,1", "@b,2", "@c,3", "@d,4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step @c -> @d does not start where @a -> @b ends");
  }
}
