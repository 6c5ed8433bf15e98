package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The job's one lock: turns never overlap, a refused turn is not taken, state reads never wait. */
class JobTurnsTest {

  private final JobTurns turns = new JobTurns(ReplicationJobState.initial("j"));

  @Test
  void aTurnWhoseConditionFailsAfterWaitingIsNotTaken() {
    assertThat(turns.begin(() -> false, s -> s.withReplicating(true))).isFalse();
    assertThat(turns.state().replicating()).as("not applied").isFalse();
    assertThat(turns.begin(() -> true, s -> s.withReplicating(true))).as("still free").isTrue();
    assertThat(turns.state().replicating()).isTrue();
  }

  @Test
  @Timeout(30)
  void aSecondTurnWaitsForTheFirstToEndWhileTheStateStaysReadable() throws Exception {
    assertThat(turns.begin(() -> true, s -> s.withReplicating(true))).isTrue();
    CountDownLatch second = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              turns.begin(() -> true, s -> s);
              second.countDown();
              turns.end(s -> s);
            });
    other.start();

    // A bounded wait for something that must not happen: the second turn while the first runs.
    assertThat(second.await(200, TimeUnit.MILLISECONDS)).as("overlapping turn").isFalse();
    assertThat(turns.state().replicating()).as("readable during the turn").isTrue();
    turns.update(s -> s.withLoop(true, java.util.Optional.empty()));
    assertThat(turns.state().running()).as("bookkeeping does not wait for the turn").isTrue();

    turns.end(s -> s.withReplicating(false));
    assertThat(second.await(20, TimeUnit.SECONDS)).as("the second turn after the first").isTrue();
    other.join();
    assertThat(turns.state().replicating()).isFalse();
  }

  @Test
  void endGivesTheTurnBackEvenIfTheStateChangeFails() {
    turns.begin(() -> true, s -> s);
    RuntimeException bug = new IllegalStateException("bug");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                turns.end(
                    s -> {
                      throw bug;
                    }))
        .isSameAs(bug);
    assertThat(turns.begin(() -> true, s -> s)).as("free again, without waiting").isTrue();
  }
}
