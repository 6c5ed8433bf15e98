package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * The sender's size estimate reaches the progress events: full steps everywhere, incremental steps
 * where ZFS has a dry-run send.
 */
class SizeEstimateTest {

  /** The expected size in the BytesSent events of an incremental step. */
  private static List<OptionalLong> incrementalExpected(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath a = w.fs("src/a");
    w.snapshot("s1", a);
    w.run(filter("src/a"));
    w.write(a, "y".repeat(50_000));
    w.snapshot("s2", a);

    int before = w.events.of(ProgressEvent.BytesSent.class).size();
    ReplicationReport r = w.run(filter("src/a"));

    assertThat(r.isSuccess()).as(r.describe()).isTrue();
    return w.events.of(ProgressEvent.BytesSent.class).stream()
        .skip(before)
        .map(ProgressEvent.BytesSent::expected)
        .distinct()
        .toList();
  }

  @Test
  void incrementalStepsCarryTheDryRunSizeWhereZfsHasIt() {
    List<OptionalLong> expected = incrementalExpected(ZfsCapabilities.openZfs21());

    assertThat(expected).hasSize(1);
    assertThat(expected.get(0).getAsLong()).isGreaterThan(50_000);
  }

  @Test
  void incrementalStepsHaveNoTotalOnZfsFuse() {
    assertThat(incrementalExpected(ZfsCapabilities.zfsFuse()))
        .containsExactly(OptionalLong.empty());
  }
}
