package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.abstraction.Abstraction;
import org.zrepl.app.abstraction.AbstractionQuery;
import org.zrepl.app.abstraction.AbstractionType;
import org.zrepl.app.abstraction.Abstractions;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.zfs.cli.CliZfs;

/**
 * {@code zrepl zfs-abstraction} on real OpenZFS (the guest; skipped without one, see {@link
 * OpenZfsGuest}), with leftovers made on purpose by the real endpoints: a step killed mid-send (its
 * step holds stay), a job removed from the configuration (its cursor and last-received hold stay),
 * a second puller's {@code _C_} cursor, and a hold and bookmark of someone else.
 */
class OpenZfsAbstractionIT {

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;
  private CliZfs zfs;
  private Abstractions abstractions;
  private DatasetPath src;
  private DatasetPath dst;
  private DatasetPath oldDst;
  private DatasetPath laptopDst;
  private AbstractionQuery ours;

  @BeforeEach
  void setUp() {
    zfs = new CliZfs(GUEST.launcher());
    abstractions = new Abstractions(zfs);
    next++;
    src = DatasetPath.of(GUEST.source() + "/a" + next);
    DatasetPath root = DatasetPath.of(GUEST.sink() + "/r" + next);
    dst = root.child("push");
    oldDst = root.child("old");
    laptopDst = root.child("laptop");
    GUEST.run("zfs", "create", src.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", root.toString());
    for (String s : List.of("s1", "s2", "s3")) {
      GUEST.sh("head -c 65536 /dev/urandom > /mnt/" + src + "/" + s + " && sync");
      zfs.snapshot(List.of(src), s);
    }
    ours =
        new AbstractionQuery(
            Optional.empty(),
            Optional.of(DatasetFilter.of(Map.of(src.toString(), "ok", root + "<", "ok"))),
            Optional.empty(),
            EnumSet.allOf(AbstractionType.class));
  }

  private FilesystemVersion snap(String name) {
    return zfs.listVersions(src).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private LocalSender sender(String jobId) {
    return new LocalSender(zfs, DatasetFilter.of(Map.of(src.toString(), "ok")), jobId, Set.of());
  }

  private LocalReceiver receiver(String job, DatasetPath target) {
    return new LocalReceiver(zfs, s -> Optional.of(target), job);
  }

  private void replicate(LocalSender sender, LocalReceiver receiver, Step step) throws Exception {
    try (InputStream in = sender.send(SendStepRequest.of(src, step)).stream()) {
      receiver.receive(ReceiveStepRequest.of(src, step), in);
    }
    sender.sendCompleted(new SendCompletedRequest(src, step, true));
  }

  /** push -> sink with a killed step; oldpush -> oldsink (job since removed); src for laptop. */
  private void leaveLeftovers() throws Exception {
    LocalSender push = sender("push");
    replicate(push, receiver("sink", dst), Step.full(snap("s1")));
    // a step s1 -> s2 killed mid-send: the daemon died, nothing cleaned up after it
    try (InputStream in =
        push.send(SendStepRequest.of(src, Step.incremental(snap("s1"), snap("s2")))).stream()) {
      assertThat(in.read()).isNotNegative();
    }
    replicate(sender("oldpush"), receiver("oldsink", oldDst), Step.full(snap("s1")));
    replicate(
        sender(EndpointNames.forSourceClient("src", "laptop").job()),
        receiver("pull", laptopDst),
        Step.full(snap("s2")));
    GUEST.run("zfs", "hold", "backup-tool", src + "@s1");
    GUEST.run("zfs", "bookmark", src + "@s1", src + "#manual");
  }

  private static Predicate<String> configured(String... jobs) {
    return Abstractions.ownedByAnyOf(List.of(jobs));
  }

  private List<String> lines(List<Abstraction> as) {
    return as.stream().map(Abstraction::toString).sorted().toList();
  }

  private String cursor(String snapshot, String jobId) {
    return String.format("zrepl_CURSOR_G_%016x_J_%s", snap(snapshot).guid(), jobId);
  }

  @Test
  void listShowsEachLeftoverWithItsTypeAndJob() throws Exception {
    leaveLeftovers();

    Abstractions.Listing l = abstractions.list(ours);

    assertThat(l.errors()).isEmpty();
    assertThat(lines(l.found()))
        .containsExactlyInAnyOrder(
            "last-received-hold \"zrepl_last_received_J_oldsink\" on " + oldDst + "@s1",
            "last-received-hold \"zrepl_last_received_J_pull\" on " + laptopDst + "@s2",
            "last-received-hold \"zrepl_last_received_J_sink\" on " + dst + "@s1",
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s1", "oldpush"),
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s1", "push"),
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s2", "src_C_laptop"),
            "step-hold \"zrepl_STEP_J_push\" on " + src + "@s1",
            "step-hold \"zrepl_STEP_J_push\" on " + src + "@s2");
    assertThat(l.found())
        .filteredOn(a -> a.name().equals(cursor("s2", "src_C_laptop")))
        .singleElement()
        .satisfies(a -> assertThat(a.jobId()).contains("src_C_laptop"));
  }

  @Test
  void releaseStaleRemovesExactlyTheStaleOnesAndPruningThenSucceeds() throws Exception {
    leaveLeftovers();
    assertThatThrownBy(() -> zfs.destroySnapshots(oldDst, List.of("s1")))
        .isInstanceOf(DatasetBusyException.class);

    Abstractions.StaleListing s =
        abstractions.stale(ours, Optional.of(configured("push", "sink", "src", "pull")));
    List<Abstractions.Outcome> out = abstractions.destroy(s.staleness().staleAbstractions());

    assertThat(s.errors()).isEmpty();
    assertThat(out).allSatisfy(o -> assertThat(o.error()).isEmpty());
    assertThat(lines(s.staleness().staleAbstractions()))
        .containsExactlyInAnyOrder(
            "last-received-hold \"zrepl_last_received_J_oldsink\" on " + oldDst + "@s1",
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s1", "oldpush"),
            // at the cursor: the killed step's from; its to (s2) may be a running step's: kept
            "step-hold \"zrepl_STEP_J_push\" on " + src + "@s1");
    assertThat(lines(abstractions.list(ours).found()))
        .containsExactlyInAnyOrder(
            "last-received-hold \"zrepl_last_received_J_pull\" on " + laptopDst + "@s2",
            "last-received-hold \"zrepl_last_received_J_sink\" on " + dst + "@s1",
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s1", "push"),
            "replication-cursor-bookmark-v2 " + src + "#" + cursor("s2", "src_C_laptop"),
            "step-hold \"zrepl_STEP_J_push\" on " + src + "@s2");
    zfs.destroySnapshots(oldDst, List.of("s1")); // was "dataset is busy"
    assertThat(zfs.holds(src, "s1")).containsExactly("backup-tool");
  }

  @Test
  void theNextConfirmedStepReleasesTheKilledStepsHolds() throws Exception {
    leaveLeftovers();
    LocalSender push = sender("push");

    replicate(push, receiver("sink", dst), Step.incremental(snap("s1"), snap("s3")));

    assertThat(abstractions.list(ours).found())
        .filteredOn(a -> a.jobId().equals(Optional.of("push")))
        .extracting(Abstraction::toString)
        .containsExactly("replication-cursor-bookmark-v2 " + src + "#" + cursor("s3", "push"));
    assertThat(zfs.holds(src, "s2")).isEmpty();
    assertThat(zfs.holds(dst, "s3")).containsExactly("zrepl_last_received_J_sink");
    assertThat(zfs.holds(dst, "s1")).isEmpty();
  }

  @Test
  void releaseAllRemovesAllOfOursAndNothingElse() throws Exception {
    leaveLeftovers();

    List<Abstractions.Outcome> out = abstractions.destroy(abstractions.list(ours).found());

    assertThat(out).hasSize(8).allSatisfy(o -> assertThat(o.error()).isEmpty());
    assertThat(abstractions.list(ours).found()).isEmpty();
    assertThat(zfs.holds(src, "s1")).containsExactly("backup-tool");
    assertThat(zfs.listVersions(src).stream().filter(FilesystemVersion::isBookmark))
        .extracting(FilesystemVersion::name)
        .containsExactly("manual");
    GUEST.run("zfs", "release", "backup-tool", src + "@s1");
    zfs.destroySnapshots(src, List.of("s1", "s2"));
  }
}
