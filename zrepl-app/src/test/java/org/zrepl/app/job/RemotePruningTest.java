package org.zrepl.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.prune.PruneReport;
import org.zrepl.app.prune.ReplicationPruning;
import org.zrepl.app.prune.SourcePruning;
import org.zrepl.app.remote.SinkEndpoints;
import org.zrepl.app.remote.SourceEndpoints;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.app.testing.ManualClock;
import org.zrepl.app.testing.ManualScheduler;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * push and pull prune the remote side over the real RPC (the in-process transport), each machine
 * its own {@link InMemoryZfs}: keep rules apply there, the incremental base survives on both sides,
 * the next incremental still works, and a source destroys only within its filter.
 */
class RemotePruningTest {

  private static final DatasetPath A = DatasetPath.of("src/a");
  private static final DatasetPath HIDDEN = DatasetPath.of("src/hidden");
  private static final DatasetPath A_ON_SINK = DatasetPath.of("backups/laptop/src/a");
  private static final DatasetPath A_PULLED = DatasetPath.of("backups/a");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private Transports transports;
  private final List<AutoCloseable> open = new ArrayList<>();
  private InMemoryZfs laptop;
  private InMemoryZfs server;

  private void machines(ZfsCapabilities caps) {
    transports = org.zrepl.app.TestAdapters.transports(clock);
    laptop = new InMemoryZfs(caps, clock, 11);
    laptop.createPool("src");
    server = new InMemoryZfs(caps, clock, 22);
    server.createPool("backups");
    for (DatasetPath fs : List.of(A, HIDDEN)) {
      laptop.createFilesystem(fs, Map.of(), false);
      laptop.write(fs, "f", fs.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private void serve(Job.Sink sink, Endpoints endpoints) throws IOException {
    open.add(0, new RpcServer(transports.listener(sink.serve()), endpoints).start());
  }

  private RpcClient client(Job.Push push) {
    RpcClient c = new RpcClient(transports.connector(push.connect()));
    open.add(0, c);
    return c;
  }

  private void snapshot(InMemoryZfs zfs, DatasetPath fs, String... names) {
    for (String n : names) {
      clock.advance(Duration.ofMinutes(1));
      zfs.snapshot(List.of(fs), n);
    }
  }

  private static List<String> names(InMemoryZfs zfs, DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private static final String PUSH =
      """
      jobs:
      - name: laptop_push
        type: push
        connect: { type: local, listener_name: backups, client_identity: laptop }
        filesystems: { "src/a<": true }
        snapshotting: { type: manual }
        pruning:
          keep_sender:
          %s
          keep_receiver:
          %s
      - name: backups
        type: sink
        serve: { type: local, listener_name: backups }
        root_fs: backups
        recv: { placeholder: { encryption: inherit } }
      """;

  private ReplicationJob push(String keepSender, String keepReceiver) throws IOException {
    String yaml = PUSH.formatted(keepSender, keepReceiver);
    Job.Sink sink = (Job.Sink) TestConfigs.job(yaml, "backups");
    Job.Push push = (Job.Push) TestConfigs.job(yaml, "laptop_push");
    serve(sink, SinkEndpoints.of(sink, server, clock, org.zrepl.app.replication.Sleeper.system()));
    return ActiveJobs.push(
        push,
        laptop,
        new org.zrepl.transport.rpc.RemoteReceiver(client(push)),
        new RecordingCommandRunner(),
        clock,
        scheduler,
        clock::advance,
        Runnable::run);
  }

  @Test
  void aPushNoOpListsTheSendersDatasetsOnceAndOnlyBelowItsFilter() throws Exception {
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21())) {
      machines(caps);
      laptop.createPool("elsewhere"); // not the filter's: never listed
      ReplicationJob job = push("- { type: last_n, count: 2 }", "- { type: last_n, count: 2 }");
      snapshot(laptop, A, "s1");
      assertThat(job.runOnce().errors()).isEmpty();
      int before = laptop.commandsStarted().size();

      assertThat(job.runOnce().errors()).isEmpty();

      List<List<String>> noOp =
          laptop.commandsStarted().subList(before, laptop.commandsStarted().size());
      assertThat(noOp)
          .as(
              "%s: one listing of src/a (datasets and, without bookmarks, versions)",
              caps.flavour())
          .allMatch(argv -> argv.get(1).equals("list") && argv.get(argv.size() - 1).equals("src/a"))
          .hasSize(caps.bookmarks() ? 2 : 1);
      close();
      open.clear();
    }
  }

  @Test
  void pushPrunesTheSinkByKeepReceiverOverTheRpc() throws IOException {
    machines(ZfsCapabilities.zfsFuse());
    ReplicationJob job = push("- { type: last_n, count: 1 }", "- { type: last_n, count: 2 }");
    job.start();
    snapshot(laptop, A, "s1");
    assertThat(job.runOnce().errors()).isEmpty();
    snapshot(laptop, A, "s2", "s3", "s4");

    ReplicationJobState s = job.runOnce();

    assertThat(s.errors()).isEmpty();
    assertThat(names(laptop, A)).containsExactly("s4");
    assertThat(names(server, A_ON_SINK)).containsExactly("s3", "s4");
    PruneReport received = s.receiverPrune().orElseThrow();
    assertThat(received.filesystems())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.fs()).as("named as on the sink").isEqualTo(A_ON_SINK);
              assertThat(f.destroyed())
                  .extracting(FilesystemVersion::name)
                  .containsExactly("s1", "s2");
            });
    assertThat(names(laptop, HIDDEN)).as("outside the push's filesystems").isEmpty();
  }

  @Test
  void theIncrementalBaseSurvivesOnBothSidesWhateverTheRulesSay() throws IOException {
    machines(ZfsCapabilities.zfsFuse());
    String keepNothing = "- { type: regex, regex: '^keep_' }";
    ReplicationJob job = push(keepNothing, keepNothing);
    job.start();
    snapshot(laptop, A, "s1", "s2", "s3");

    assertThat(job.runOnce().errors()).isEmpty();
    assertThat(names(laptop, A)).containsExactly("s3");
    assertThat(names(server, A_ON_SINK)).containsExactly("s3");

    laptop.write(A, "f", "more".getBytes(StandardCharsets.UTF_8));
    snapshot(laptop, A, "s4");
    ReplicationJobState second = job.runOnce();

    assertThat(second.errors()).isEmpty();
    assertThat(second.lastReplication().orElseThrow().isSuccess()).isTrue();
    assertThat(names(laptop, A)).containsExactly("s4");
    assertThat(names(server, A_ON_SINK)).containsExactly("s4");
    assertThat(server.read(A_ON_SINK, "f")).hasValue("more".getBytes(StandardCharsets.UTF_8));
  }

  private static final String PULL =
      """
      jobs:
      - name: puller
        type: pull
        connect: { type: local, listener_name: laptop, client_identity: backups }
        %s
        interval: manual
        recv: { placeholder: { encryption: inherit } }
        pruning:
          keep_sender:
          %s
          keep_receiver:
          - { type: last_n, count: 1 }
      - name: laptop_source
        type: source
        serve: { type: local, listener_name: laptop }
        filesystems: { "src/a": true }
        snapshotting: { type: manual }
        pruning:
          keep:
          - { type: last_n, count: 1 }
      """;

  private record Pull(
      ReplicationJob job, RemoteSender remote, Job.Pull config, Job.Source source) {}

  private Pull pull(String target, String keepSender) throws IOException {
    return pull(target, keepSender, new SessionCursors());
  }

  private Pull pull(String target, String keepSender, SessionCursors session) throws IOException {
    String yaml = PULL.formatted(target, keepSender);
    Job.Source source = (Job.Source) TestConfigs.job(yaml, "laptop_source");
    Job.Pull pull = (Job.Pull) TestConfigs.job(yaml, "puller");
    open.add(
        0,
        new RpcServer(
                transports.listener(source.serve()),
                SourceEndpoints.of(
                    source, laptop, session, clock, org.zrepl.app.replication.Sleeper.system()))
            .start());
    RpcClient client = new RpcClient(transports.connector(pull.connect()));
    open.add(0, client);
    RemoteSender remote = new RemoteSender(client);
    ReplicationJob job =
        ActiveJobs.pull(
            pull,
            server,
            remote,
            new RecordingCommandRunner(),
            clock,
            scheduler,
            clock::advance,
            Runnable::run);
    return new Pull(job, remote, pull, source);
  }

  @Test
  void pullPrunesTheSourceByKeepSenderAndAMappedReceiverByKeepReceiver() throws Exception {
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21())) {
      close();
      open.clear();
      machines(caps);
      Pull p = pull("mapping: { \"src/a\": \"backups/a\" }", "- { type: last_n, count: 2 }");
      p.job().start();
      snapshot(laptop, A, "s1", "s2", "s3");
      snapshot(laptop, HIDDEN, "h1", "h2", "h3");

      ReplicationJobState s = p.job().runOnce();

      assertThat(s.errors()).as(caps.flavour()).isEmpty();
      assertThat(names(laptop, A)).as(caps.flavour()).containsExactly("s2", "s3");
      assertThat(names(server, A_PULLED)).as(caps.flavour()).containsExactly("s3");
      assertThat(names(laptop, HIDDEN)).as("not served").containsExactly("h1", "h2", "h3");
      FilesystemVersion h1 = laptop.listVersions(HIDDEN).get(0);
      assertThatThrownBy(() -> p.remote().destroySnapshots(HIDDEN, List.of(h1)))
          .isInstanceOf(FilesystemNotFoundException.class)
          .hasMessageContaining("src/hidden");
      assertThat(names(laptop, HIDDEN)).containsExactly("h1", "h2", "h3");
    }
  }

  @Test
  void aSourceBaseKeptForAnotherPullerCountsAsKeptNotFailed() throws Exception {
    machines(ZfsCapabilities.zfsFuse());
    SessionCursors session = new SessionCursors();
    Pull p =
        pull(
            "root_fs: backups",
            "- { type: not_replicated }\n    - { type: last_n, count: 1 }",
            session);
    p.job().start();
    snapshot(laptop, A, "s1");
    // Another puller of the same source ("beta") received s1 and is away: s1 is its base.
    org.zrepl.port.endpoint.Sender beta =
        SourceEndpoints.of(p.source(), laptop, session, clock, Sleeper.system())
            .sender(new org.zrepl.port.transport.ClientIdentity("beta"))
            .orElseThrow();
    FilesystemVersion s1 = laptop.listVersions(A).get(0);
    org.zrepl.domain.replication.Step full = org.zrepl.domain.replication.Step.full(s1);
    try (var stream = beta.send(org.zrepl.port.endpoint.SendStepRequest.of(A, full)).stream()) {
      stream.transferTo(java.io.OutputStream.nullOutputStream());
    }
    beta.sendCompleted(new org.zrepl.port.endpoint.SendCompletedRequest(A, full, true));
    snapshot(laptop, A, "s2", "s3");

    ReplicationJobState s = p.job().runOnce();

    assertThat(s.errors()).as("the kept base is no failure").isEmpty();
    assertThat(names(laptop, A)).as("beta's base s1 and the newest s3").containsExactly("s1", "s3");
    PruneReport sent = s.senderPrune().orElseThrow();
    assertThat(sent.complete()).isTrue();
    var fs = sent.filesystems().get(0);
    assertThat(fs.failed()).isEmpty();
    assertThat(fs.destroyed()).extracting(FilesystemVersion::name).containsExactly("s2");
    assertThat(fs.kept()).extracting(FilesystemVersion::name).contains("s1", "s3");
    assertThat(fs.neededElsewhere())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.snapshot().name()).isEqualTo("s1");
              assertThat(n.targets()).containsExactly("laptop_source_C_beta");
            });
    assertThat(fs.describe())
        .isEqualTo(
            "src/a: destroyed 1, kept 2 (@s1: needed by another target (laptop_source_C_beta))");
    assertThat(p.job().pruning())
        .filteredOn(r -> r.side() == org.zrepl.app.prune.PruneSide.SENDER)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(org.zrepl.app.prune.PruneProgress.State.DONE);
              assertThat(r.filesystems().get(0).failed()).isZero();
            });
  }

  @Test
  void aRealDestroyFailureOnThePulledSourceStaysAFailure() throws Exception {
    machines(ZfsCapabilities.openZfs21());
    Pull p = pull("root_fs: backups", "- { type: last_n, count: 1 }");
    p.job().start();
    snapshot(laptop, A, "s1", "s2", "s3");
    laptop.hold(A, "s1", "operator_hold");

    ReplicationJobState s = p.job().runOnce();

    assertThat(names(laptop, A)).containsExactly("s1", "s3");
    var fs = s.senderPrune().orElseThrow().filesystems().get(0);
    assertThat(fs.neededElsewhere()).isEmpty();
    assertThat(fs.failed()).extracting(f -> f.snapshot().name()).containsExactly("s1");
    assertThat(s.errors())
        .anyMatch(e -> e.startsWith("prune sender src/a: destroyed 1, kept 1, failed 1"));
  }

  @Test
  void notReplicatedOnThePulledSourceKeepsWhatTheReceiverDoesNotHaveYet() throws Exception {
    for (ZfsCapabilities caps : List.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21())) {
      close();
      open.clear();
      machines(caps);
      Pull p = pull("root_fs: backups", "- { type: last_n, count: 5 }");
      p.job().start();
      snapshot(laptop, A, "s1", "s2");
      assertThat(p.job().runOnce().errors()).isEmpty();
      snapshot(laptop, A, "s3");
      Receiver receiver =
          new org.zrepl.app.endpoint.LocalReceiver(
              server, ActiveJobs.mapping(p.config().target()), "puller");

      PruneReport r =
          ReplicationPruning.senderSide(
                  "puller", List.of(new KeepRule.KeepNotReplicated()), p.remote(), receiver)
              .execute();

      assertThat(r.complete()).isTrue();
      assertThat(names(laptop, A))
          .as(caps.flavour() + ": s2 is the base, s3 is not replicated yet")
          .containsExactly("s2", "s3");
    }
  }

  @Test
  void aSelfPruningSourceKeepsWhatItLastSentToThePullerWithoutBookmarks() throws IOException {
    machines(ZfsCapabilities.zfsFuse());
    SessionCursors session = new SessionCursors();
    Pull p = pull("root_fs: backups", "- { type: regex, regex: '.*' }", session);
    SnapJob source =
        SnapJob.source(
            p.source(),
            SourcePruning.of(p.source(), laptop, session),
            laptop,
            new RecordingCommandRunner(),
            clock,
            Sleeper.system(),
            scheduler);
    p.job().start();
    snapshot(laptop, A, "s1", "s2");

    source.pruneOnce();
    assertThat(names(laptop, A))
        .as("no puller seen yet: its base is unknown")
        .containsExactly("s1", "s2");
    assertThat(p.job().runOnce().errors()).isEmpty();
    laptop.write(A, "f", "later".getBytes(StandardCharsets.UTF_8));
    snapshot(laptop, A, "s3", "s4");
    source.pruneOnce();

    assertThat(names(laptop, A)).as("last_n 1, and s2 the puller has").containsExactly("s2", "s4");
    ReplicationJobState next = p.job().runOnce();
    assertThat(next.errors()).isEmpty();
    assertThat(names(server, DatasetPath.of("backups/src/a"))).containsExactly("s4");
    assertThat(server.read(DatasetPath.of("backups/src/a"), "f"))
        .hasValue("later".getBytes(StandardCharsets.UTF_8));
  }
}
