package org.zrepl.domain.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Properties of {@link ReplicationPlanner} over generated histories. The sender's history is a row
 * of slots, each a snapshot that was taken; {@code states} says what is left of each on the sender:
 * 0 the snapshot, 1 snapshot and bookmark, 2 only a bookmark, 3 nothing. The receiver got some of
 * the first {@code receiverUpTo} slots (always the last of them), under its own names and
 * createtxgs. {@code zrepl} names whether a slot's name passes the snapshot filter.
 */
class ReplicationPlannerPropertiesTest {

  private static final PlanningPolicy FILTERED =
      PlanningPolicy.defaults().withSnapshotFilter(Pattern.compile("^zrepl_"));

  /** The generated world and what a straightforward reading of the rules expects from it. */
  private record World(
      List<FilesystemVersion> sender,
      List<FilesystemVersion> receiver,
      Optional<Integer> newestCommonSlot,
      int newestReceiverSlot,
      List<FilesystemVersion> filteredSenderSnapshots) {}

  private static long guid(int slot) {
    return 0x9E3779B97F4A7C15L * (slot + 1); // distinct, unordered, sometimes negative
  }

  private static World world(
      List<Integer> states, List<Boolean> zrepl, int receiverUpTo, List<Boolean> received) {
    List<FilesystemVersion> sender = new ArrayList<>();
    List<FilesystemVersion> filtered = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      String name = (i < zrepl.size() && !zrepl.get(i) ? "manual_" : "zrepl_") + i;
      long txg = 10L * (i + 1);
      Instant at = Instant.EPOCH.plusSeconds(txg);
      int state = states.get(i);
      if (state == 0 || state == 1) {
        FilesystemVersion s = FilesystemVersion.snapshot(name, guid(i), txg, at);
        sender.add(s);
        if (name.startsWith("zrepl_")) {
          filtered.add(s);
        }
      }
      if (state == 1 || state == 2) {
        sender.add(FilesystemVersion.bookmark(name, guid(i), txg, at));
      }
    }
    int upTo = Math.min(receiverUpTo, states.size());
    List<FilesystemVersion> receiver = new ArrayList<>();
    Optional<Integer> newestCommon = Optional.empty();
    for (int i = 0; i < upTo; i++) {
      if (i == upTo - 1 || (i < received.size() && received.get(i))) {
        receiver.add(
            FilesystemVersion.snapshot("r" + i, guid(i), 1000L + i, Instant.EPOCH.plusSeconds(i)));
        if (states.get(i) != 3) {
          newestCommon = Optional.of(i);
        }
      }
    }
    Collections.shuffle(sender, new java.util.Random(states.hashCode()));
    return new World(sender, receiver, newestCommon, upTo - 1, filtered);
  }

  @Property
  void incrementalPathStartsAtNewestCommonGuidAndEndsAtNewestFilteredSnapshot(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> states,
      @ForAll @Size(max = 12) List<Boolean> zrepl,
      @ForAll @IntRange(min = 1, max = 12) int receiverUpTo,
      @ForAll @Size(max = 12) List<Boolean> received) {
    // The receiver got something (1 ..= n slots), so this property is about incremental plans.
    World w = world(states, zrepl, 1 + receiverUpTo % states.size(), received);
    ReplicationPlan plan = ReplicationPlanner.plan(w.sender(), w.receiver(), FILTERED);
    Statistics.collect(plan.getClass().getSimpleName());
    Statistics.coverage(
        c -> {
          c.check("Incremental").percentage(p -> p >= 15);
          c.check("Diverged").percentage(p -> p >= 5);
          c.check("UpToDate").percentage(p -> p >= 2);
        });

    if (w.newestCommonSlot().isEmpty()) {
      assertThat(plan)
          .isInstanceOfAny(Conflict.NoCommonAncestor.class, Conflict.SenderHasNoSnapshots.class);
      return;
    }
    int common = w.newestCommonSlot().get();
    if (common != w.newestReceiverSlot()) {
      assertThat(plan).isInstanceOf(Conflict.Diverged.class);
      assertThat(((Conflict.Diverged) plan).common().guid()).isEqualTo(guid(common));
      return;
    }
    List<FilesystemVersion> expectedTos =
        w.filteredSenderSnapshots().stream()
            .filter(v -> v.createTxg() > 10L * (common + 1))
            .toList();
    if (expectedTos.isEmpty()) {
      assertThat(plan)
          .isEqualTo(new ReplicationPlan.UpToDate(w.receiver().get(w.receiver().size() - 1)));
      return;
    }
    assertThat(plan).isInstanceOf(ReplicationPlan.Incremental.class);
    List<Step> steps = ((ReplicationPlan.Incremental) plan).steps();

    FilesystemVersion start = steps.get(0).from().orElseThrow();
    assertThat(start.guid()).isEqualTo(guid(common));
    assertThat(start.isSnapshot()).isEqualTo(states.get(common) != 2);
    assertThat(steps.get(steps.size() - 1).to()).isEqualTo(expectedTos.get(expectedTos.size() - 1));
    assertThat(steps.stream().map(Step::to).toList()).isEqualTo(expectedTos);
    long txg = start.createTxg();
    for (Step s : steps) {
      assertThat(s.to().createTxg()).isGreaterThan(txg);
      assertThat(s.from().orElseThrow().createTxg()).isEqualTo(txg);
      txg = s.to().createTxg();
    }
  }

  @Property
  void batchingSendsTheSameSnapshotsAndOnlyThose(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> states,
      @ForAll @Size(max = 12) List<Boolean> zrepl,
      @ForAll @IntRange(min = 0, max = 12) int receiverUpTo,
      @ForAll @Size(max = 12) List<Boolean> received,
      @ForAll boolean all) {
    World w = world(states, zrepl, receiverUpTo, received);
    PlanningPolicy policy =
        all ? FILTERED.withInitialReplication(InitialReplication.ALL) : FILTERED;
    ReplicationPlan plan = ReplicationPlanner.plan(w.sender(), w.receiver(), policy);
    List<Step> steps = List.of();
    if (plan instanceof ReplicationPlan.Incremental i) {
      steps = i.steps();
    } else if (plan instanceof ReplicationPlan.Initial i) {
      steps = i.steps();
    }

    List<Step> batched = StepBatching.batch(steps, w.sender());

    List<FilesystemVersion> planned = new ArrayList<>();
    steps.forEach(s -> planned.addAll(s.received()));
    List<FilesystemVersion> sent = new ArrayList<>();
    batched.forEach(s -> sent.addAll(s.received()));
    assertThat(sent).isEqualTo(planned);
    for (Step s : batched) {
      if (s.sendsIntermediates()) {
        FilesystemVersion from = s.from().orElseThrow();
        assertThat(from.isSnapshot()).isTrue();
        // What zfs send -I would send: every sender snapshot after from, up to and including to.
        List<FilesystemVersion> wouldSend =
            ReplicationPlanner.sorted(w.sender()).stream()
                .filter(FilesystemVersion::isSnapshot)
                .filter(
                    v -> v.createTxg() > from.createTxg() && v.createTxg() <= s.to().createTxg())
                .toList();
        assertThat(wouldSend).isEqualTo(s.received());
      }
    }
  }
}
