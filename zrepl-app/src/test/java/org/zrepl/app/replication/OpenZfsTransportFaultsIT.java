package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.Protection;
import org.zrepl.app.endpoint.Protection.Kind;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.Listener;
import org.zrepl.transport.rpc.RemoteReceiver;
import org.zrepl.transport.rpc.RemoteSender;
import org.zrepl.transport.rpc.RpcClient;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.transport.stdinserver.SshConnector;
import org.zrepl.transport.stdinserver.StdinserverListener;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LaunchedProcess;
import org.zrepl.zfs.cli.ProcessLauncher;

/**
 * The fault campaign on real OpenZFS over the real transports (issue #16): push (to a sink) and
 * pull (from a source) over {@code tcp} and {@code tls} on loopback through a {@link
 * FaultingProxy}, and over {@code ssh+stdinserver} (the real {@link SshConnector} and {@link
 * StdinserverListener}, with {@link SshShim} standing in for ssh, sshd and {@code zrepl
 * stdinserver}: no sshd of ours on this side), while {@code zfs} runs in the guest. Each case
 * injects one fault into a full step at a seeded random byte offset of the stream ({@code
 * -Dzrepl.faults.seed=N}):
 *
 * <ul>
 *   <li>cut: the tcp or tls connection is reset (RST) at that byte; the ssh processes die
 *       (SIGKILL);
 *   <li>kill-recv: the receiving {@code zfs recv} is SIGKILLed in the guest while the stream is
 *       held there;
 *   <li>kill-send: likewise the sending {@code zfs send};
 *   <li>enospc: the receiving pool has less room than the stream (a reservation on a sibling
 *       dataset); the error must name the cause, nothing half-received may look like a replica;
 *       then the room is given back.
 * </ul>
 *
 * Then the receiver must hold a resume token, the next run must <b>resume</b> from it (its first
 * step says so and moves less than the stream minus half of what the token says was received), and
 * afterwards the sender's holds and bookmarks and the receiver's holds must be exactly what {@code
 * replication.protection} promises: no step hold, no tentative cursor, one cursor bookmark at the
 * replicated snapshot, the last-received hold on it. Each case prints one line: what was injected
 * where, and what the next run did. Skipped without a guest (see {@link OpenZfsGuest}).
 */
class OpenZfsTransportFaultsIT {
  private static final String JOB = "ozt";
  private static final EndpointNames NAMES = EndpointNames.forJob(JOB);
  private static final int MIB = 1 << 20;
  private static final long SEED = Long.getLong("zrepl.faults.seed", 16);

  /**
   * {@code -Dzrepl.faults.all=true} runs every case (about 12 minutes on a loaded host); without
   * it, the six that cover every kind and every wire once (push and pull both), which is what the
   * OpenZFS phase of {@code scripts/test} runs.
   */
  private static final String ALL = "zrepl.faults.all";

  private static final Duration DIAL = Duration.ofSeconds(20);
  private static final TestPki PKI = TestPki.create("zrepl faults CA");

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static final GuestFaults IN_GUEST = new GuestFaults(GUEST);

  @TempDir Path dir;

  private static int next;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AutoCloseable> closing = new ArrayList<>();
  private CliZfs zfs;
  private CliZfs senderZfs;
  private DatasetPath src;
  private DatasetPath dst;
  private DatasetPath a;

  @BeforeEach
  void roots() {
    zfs = new CliZfs(GUEST.launcher());
    senderZfs = zfs;
    next++;
    src = DatasetPath.of(GUEST.source() + "/t" + next);
    dst = DatasetPath.of(GUEST.sink() + "/u" + next);
    GUEST.run("zfs", "create", src.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", dst.toString());
    a = src.child("a");
    GUEST.run("zfs", "create", a.toString());
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  // --- the cases ---------------------------------------------------------------------------------

  @Test
  void pushOverTcpCutMidStreamResumes() {
    faultAndResume(Wire.TCP, Side.PUSH, Fault.CUT, Kind.RESUMABILITY);
  }

  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pullOverTcpCutMidStreamResumes() {
    faultAndResume(Wire.TCP, Side.PULL, Fault.CUT, Kind.INCREMENTAL);
  }

  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pushOverTlsCutMidStreamResumes() {
    faultAndResume(Wire.TLS, Side.PUSH, Fault.CUT, Kind.INCREMENTAL);
  }

  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pullOverTlsCutMidStreamResumes() {
    faultAndResume(Wire.TLS, Side.PULL, Fault.CUT, Kind.RESUMABILITY);
  }

  /** The sink's {@code zfs recv} dies: the receiving side of a push. */
  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pushOverTcpReceivingZfsKilledMidStreamResumes() {
    faultAndResume(Wire.TCP, Side.PUSH, Fault.KILL_RECV, Kind.RESUMABILITY);
  }

  /** The source's {@code zfs send} dies: the sending side of a pull. */
  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pullOverTcpSendingZfsKilledMidStreamResumes() {
    faultAndResume(Wire.TCP, Side.PULL, Fault.KILL_SEND, Kind.RESUMABILITY);
  }

  /** The pushing side's {@code zfs send} dies. */
  @Test
  void pushOverTlsSendingZfsKilledMidStreamResumes() {
    faultAndResume(Wire.TLS, Side.PUSH, Fault.KILL_SEND, Kind.INCREMENTAL);
  }

  /** The puller's {@code zfs recv} dies. */
  @Test
  void pullOverTlsReceivingZfsKilledMidStreamResumes() {
    faultAndResume(Wire.TLS, Side.PULL, Fault.KILL_RECV, Kind.RESUMABILITY);
  }

  /** The {@code ssh} of a push dies mid-stream (SIGKILL). */
  @Test
  void pushOverSshStdinserverCutMidStreamResumes() {
    faultAndResume(Wire.SSH, Side.PUSH, Fault.CUT, Kind.RESUMABILITY);
  }

  /** The {@code ssh} of a pull dies mid-stream (SIGKILL). */
  @Test
  @EnabledIfSystemProperty(named = ALL, matches = "true")
  void pullOverSshStdinserverCutMidStreamResumes() {
    faultAndResume(Wire.SSH, Side.PULL, Fault.CUT, Kind.INCREMENTAL);
  }

  @Test
  void pushOverTcpIntoAFullPoolFailsNamingTheCauseThenResumes() {
    faultAndResume(Wire.TCP, Side.PUSH, Fault.ENOSPC, Kind.RESUMABILITY);
  }

  /**
   * {@code zfs} itself fails: the sender's {@code zfs release} of the step hold, once the stream
   * was received. The data is there; the hold left behind is released by the next confirmed step
   * (see docs/differences.md, stale step holds), after which the protection is exact.
   */
  @Test
  void pushOverTcpWithTheSendersZfsReleaseFailingOnceCompletesOnTheNextRun() {
    Kind mode = Kind.RESUMABILITY;
    FailingOnce failing =
        new FailingOnce(
            GUEST.launcher(),
            argv ->
                argv.size() > 2
                    && argv.get(1).equals("release")
                    && argv.contains(NAMES.stepHold()));
    senderZfs = new CliZfs(failing);
    IN_GUEST.writeRandom(a, "f", MIB);
    snapshot("s1");
    Served served =
        serve(
            Wire.TCP,
            Side.PUSH,
            new Protection(mode, mode),
            -1,
            false,
            () -> {},
            new ArrayList<>());
    ReplicationReport first =
        served.run(ReplicationPolicy.defaults().withMaxAttempts(1), ProgressListener.none());
    String what = "PUSH over TCP under " + mode + ", zfs-fail of " + failing.failed();
    assertThat(failing.failed()).as("the injected zfs failure happened").isNotEmpty();
    assertThat(snapshotNames(target()))
        .as("the stream was received before the %s: %s", what, first.describe())
        .containsExactly("s1");
    IN_GUEST.writeRandom(a, "g", MIB);
    FilesystemVersion s2 = snapshot("s2");
    ReplicationReport next = served.run(ReplicationPolicy.defaults(), ProgressListener.none());
    assertThat(next.isSuccess()).as("the run after the %s: %s", what, next.describe()).isTrue();
    assertThat(IN_GUEST.checksum(target(), "g")).isEqualTo(IN_GUEST.checksum(a, "g"));
    assertProtectionAfterSuccess(s2, what);
    System.out.println(
        "faults seed="
            + SEED
            + " "
            + what
            + ": faulted run "
            + (first.isSuccess() ? "completed" : "failed (" + cause(first) + ")")
            + "; next run (one more snapshot) completed, protection exact");
  }

  // --- the scenario ------------------------------------------------------------------------------

  enum Wire {
    TCP,
    TLS,
    SSH
  }

  enum Side {
    PUSH,
    PULL
  }

  enum Fault {
    CUT,
    KILL_RECV,
    KILL_SEND,
    ENOSPC
  }

  private void faultAndResume(Wire wire, Side side, Fault fault, Kind mode) {
    Protection p = new Protection(mode, mode);
    // seeded per case, so that one case can be rerun alone with the same offset
    SplittableRandom random =
        new SplittableRandom(SEED * 31 + (wire + " " + side + " " + fault).hashCode());
    int fileBytes = fault == Fault.CUT ? 4 * MIB : 8 * MIB;
    IN_GUEST.writeRandom(a, "f", fileBytes);
    FilesystemVersion s1 = snapshot("s1");
    long size = IN_GUEST.sendSize(a + "@s1");
    // a kill strikes early, so that the zfs send still has most of its stream to write
    long offset =
        switch (fault) {
          case CUT -> size / 4 + random.nextLong(size / 2);
          case KILL_RECV, KILL_SEND -> size / 16 + random.nextLong(size / 8);
          case ENOSPC -> -1;
        };
    List<String> killed = new CopyOnWriteArrayList<>();
    Runnable strike =
        switch (fault) {
          // dataset names here are [a-z0-9/@]: no regex quoting needed (pgrep's ERE has no \Q)
          case KILL_RECV ->
              () ->
                  killed.addAll(pids("zfs recv", IN_GUEST.kill("^zfs recv .* " + target() + "$")));
          // not the dry runs (zfs send -nvP) that estimate the size
          case KILL_SEND ->
              () -> killed.addAll(pids("zfs send", IN_GUEST.kill("^zfs send [^n]*" + a + "@s1$")));
          case CUT, ENOSPC -> () -> {};
        };
    String fill = fault == Fault.ENOSPC ? IN_GUEST.leaveRoomFor(size / 2, "fill" + next) : null;

    Served served = serve(wire, side, p, offset, fault == Fault.CUT, strike, killed);
    ReplicationReport faulted =
        served.run(ReplicationPolicy.defaults().withMaxAttempts(1), ProgressListener.none());
    String what =
        side
            + " over "
            + wire
            + " under "
            + mode
            + ", "
            + fault.name().toLowerCase(Locale.ROOT)
            + (offset >= 0 ? " at " + served.where().get() + " (stream " + size + " bytes)" : "")
            + (killed.isEmpty() ? "" : ", killed: " + String.join(", ", killed));
    if (offset >= 0) {
      assertThat(served.struck().getAsBoolean()).as("the fault struck: %s", what).isTrue();
    }
    if (wire == Wire.SSH && fault == Fault.CUT) {
      assertThat(killed).as("an ssh killed (%s)", what).anyMatch(k -> k.endsWith(" killed"));
    }
    if (fault == Fault.KILL_RECV || fault == Fault.KILL_SEND) {
      assertThat(killed)
          .as("a live %s to kill when the stream reached the offset (%s)", fault, what)
          .isNotEmpty();
    }
    assertThat(faulted.result(a).orElseThrow())
        .as("%s: %s", what, faulted.describe())
        .isInstanceOf(FilesystemResult.Failed.class);
    if (fault == Fault.ENOSPC) {
      assertThat(faulted.describe())
          .as("the error of the run into a full pool names the cause")
          .containsIgnoringCase("space");
      assertThat(GUEST.sh("zfs list -H -t snapshot -o name -r " + dst + " | wc -l").strip())
          .as("no received snapshot after the failed receive into a full pool")
          .isEqualTo("0");
      GUEST.run("zfs", "destroy", fill);
    }
    String token = IN_GUEST.tokenOnceTheReceiveEnded(target());
    assertThat(token).as("resume token after the %s", what).startsWith("1-");
    long received = IN_GUEST.tokenBytes(token);
    assertProtectionAfterFault(mode, s1, what);

    RecordingListener events = new RecordingListener();
    ReplicationReport resumed = served.run(ReplicationPolicy.defaults(), events);
    assertThat(resumed.isSuccess())
        .as("the run after the %s: %s", what, resumed.describe())
        .isTrue();
    assertThat(events.of(ProgressEvent.StepStarted.class))
        .as("the first step after the %s resumes", what)
        .first()
        .extracting(ProgressEvent.StepStarted::resumed)
        .isEqualTo(true);
    long moved = events.of(ProgressEvent.StepCompleted.class).get(0).bytes();
    assertThat(moved)
        .as(
            "bytes of the resumed step after the %s (token: %d received; a restart moves about %d)",
            what, received, size)
        .isLessThan(size - received / 2);
    assertThat(IN_GUEST.token(target())).isEqualTo("-");
    assertThat(IN_GUEST.checksum(target(), "f")).isEqualTo(IN_GUEST.checksum(a, "f"));
    assertProtectionAfterSuccess(s1, what);
    String line =
        String.format(
            Locale.ROOT,
            "faults seed=%d %s: faulted run failed (%s); token had %d of %d bytes; next run"
                + " resumed, moved %d bytes, protection exact",
            SEED,
            what,
            cause(faulted),
            received,
            size,
            moved);
    System.out.println(line); // the campaign's per-fault line, in the IT's report
  }

  private static List<String> pids(String what, List<String> pids) {
    return pids.stream().map(pid -> what + " " + pid).toList();
  }

  private String cause(ReplicationReport r) {
    String d = r.result(a).map(FilesystemResult::describe).orElse(r.describe());
    String oneLine = d.replaceAll("\\s+", " ");
    return oneLine.length() > 240 ? oneLine.substring(0, 240) + "..." : oneLine;
  }

  /**
   * Right after the fault the step is unconfirmed and the receiver holds resumable state: {@code
   * guarantee_resumability} keeps the step hold on the sender, {@code guarantee_incremental} a
   * tentative cursor bookmark.
   */
  private void assertProtectionAfterFault(Kind mode, FilesystemVersion to, String what) {
    assertThat(zfs.holds(a, to.name()).contains(NAMES.stepHold()))
        .as("step hold on %s@%s after the %s", a, to.name(), what)
        .isEqualTo(mode == Kind.RESUMABILITY);
    String tentative = NAMES.tentativeCursorBookmark(to.guid());
    if (mode == Kind.INCREMENTAL) {
      assertThat(bookmarks()).as("bookmarks after the %s", what).contains(tentative);
    } else {
      assertThat(bookmarks()).as("bookmarks after the %s", what).doesNotContain(tentative);
    }
  }

  /** After the resumed step: exactly the cursor bookmark at {@code to} and last-received hold. */
  private void assertProtectionAfterSuccess(FilesystemVersion to, String what) {
    assertThat(IN_GUEST.ourHolds(src))
        .as("our holds on the sender after the run following the %s", what)
        .isEmpty();
    assertThat(bookmarks())
        .as("bookmarks after the run following the %s", what)
        .containsExactly(NAMES.cursorBookmark(to.guid()));
    assertThat(IN_GUEST.ourHolds(dst))
        .as("our holds on the receiver after the run following the %s", what)
        .containsExactly(target() + "@" + to.name() + " " + NAMES.lastReceivedHold());
  }

  // --- the two sides over a real wire ------------------------------------------------------------

  /**
   * A server of one side over {@code wire}, and a client dialling it through the fault injector
   * (for tcp and tls a {@link FaultingProxy}, for ssh a {@link FaultingConnector}).
   */
  private record Served(Supplier<String> where, BooleanSupplier struck, Engine engine) {
    ReplicationReport run(ReplicationPolicy policy, ProgressListener l) {
      return engine.run(policy, l);
    }
  }

  @FunctionalInterface
  private interface Engine {
    ReplicationReport run(ReplicationPolicy policy, ProgressListener l);
  }

  /**
   * Serves one side over {@code wire}; the client's stream is faulted at {@code offset} by {@code
   * strike}, and for a {@code cut} ({@code reset}) the link breaks there: tcp and tls are reset,
   * the ssh processes of the connections are SIGKILLed.
   */
  private Served serve(
      Wire wire,
      Side side,
      Protection p,
      long offset,
      boolean reset,
      Runnable strike,
      List<String> injected) {
    LocalSender sender =
        new LocalSender(
            senderZfs,
            DatasetFilter.of(Map.of(src + "<", "ok", src.toString(), "!")),
            JOB,
            Set.of(),
            false,
            p);
    LocalReceiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(dst.append(s.trimPrefix(src))), JOB).protectedBy(p);
    Optional<Sender> served = side == Side.PULL ? Optional.of(sender) : Optional.empty();
    Optional<Receiver> receives = side == Side.PUSH ? Optional.of(receiver) : Optional.empty();
    try {
      Listener listener = listen(wire);
      RpcServer server =
          new RpcServer(
                  listener,
                  new Endpoints() {
                    @Override
                    public Optional<Sender> sender(ClientIdentity client) {
                      return served;
                    }

                    @Override
                    public Optional<Receiver> receiver(ClientIdentity client) {
                      return receives;
                    }
                  })
              .start();
      closing.add(server);
      Connector connector;
      Supplier<String> where;
      BooleanSupplier struck;
      if (wire == Wire.SSH) {
        Path pids = dir.resolve("ssh-pids-" + next);
        Runnable fault =
            reset
                ? () -> {
                  strike.run();
                  injected.addAll(SshShim.killAll(pids));
                }
                : strike;
        FaultingConnector c =
            new FaultingConnector(
                SshShim.connector(dir.resolve("ssh-" + next), sockdir(), pids, DIAL),
                side == Side.PUSH,
                offset,
                fault);
        connector = c;
        where = () -> "byte " + offset + " of the stream's direction";
        struck = c::struck;
      } else {
        FaultingProxy proxy =
            FaultingProxy.start(listenerPort(listener), side == Side.PUSH, offset, reset, strike);
        closing.add(proxy);
        connector = connector(wire, proxy.port());
        where = proxy::where;
        struck = proxy::struck;
      }
      RpcClient client = new RpcClient(connector);
      closing.add(client);
      ReplicationEngine engine = new ReplicationEngine(clock, clock::sleep);
      Engine e =
          side == Side.PUSH
              ? (policy, l) -> engine.run(sender, new RemoteReceiver(client), policy, l)
              : (policy, l) -> engine.run(new RemoteSender(client), receiver, policy, l);
      return new Served(where, struck, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve over " + wire, e);
    }
  }

  private Listener listen(Wire wire) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    return switch (wire) {
      case SSH -> StdinserverListener.bind(sockdir(), List.of(new ClientIdentity("laptop")));
      case TCP -> TcpListener.bind(any, ClientMap.of(Map.of("127.0.0.1", "laptop")));
      case TLS -> {
        TestPki.Issued s =
            PKI.issue(
                dir,
                "backup.example",
                List.of("backup.example"),
                Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)),
                TestPki.KeyFormat.PKCS1_RSA);
        yield TlsListener.bind(
            any,
            TlsFiles.load(ca(), s.cert(), s.key(), Clock.systemUTC()),
            List.of("laptop"),
            DIAL);
      }
    };
  }

  private static int listenerPort(Listener l) {
    return l instanceof TcpListener t ? t.port() : ((TlsListener) l).port();
  }

  private Connector connector(Wire wire, int port) {
    return switch (wire) {
      case SSH -> throw new IllegalArgumentException("ssh has no port to dial: SshShim.connector");
      case TCP -> new TcpConnector("127.0.0.1", port, DIAL);
      case TLS -> {
        TestPki.Issued own = PKI.issue(dir, "laptop");
        yield TlsConnector.of(
            "127.0.0.1:" + port,
            TlsFiles.load(ca(), own.cert(), own.key(), Clock.systemUTC()),
            "backup.example",
            DIAL);
      }
    };
  }

  /** The stdinserver socket directory of this case: private, as the listener demands. */
  private Path sockdir() throws IOException {
    Path d = dir.resolve("sockdir-" + next);
    if (!Files.isDirectory(d)) {
      Files.createDirectory(
          d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return d;
  }

  private Path ca() {
    return PKI.writeCa(dir.resolve("ca.crt"));
  }

  // --- the guest ---------------------------------------------------------------------------------

  private DatasetPath target() {
    return dst.append(a.trimPrefix(src));
  }

  private FilesystemVersion snapshot(String name) {
    zfs.snapshot(List.of(a), name);
    return zfs.listVersions(a).stream()
        .filter(v -> v.isSnapshot() && v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<String> snapshotNames(DatasetPath fs) {
    return zfs.listVersions(fs).stream()
        .filter(FilesystemVersion::isSnapshot)
        .map(FilesystemVersion::name)
        .toList();
  }

  private List<String> bookmarks() {
    return zfs.listVersions(a).stream()
        .filter(FilesystemVersion::isBookmark)
        .map(FilesystemVersion::name)
        .toList();
  }

  /** Runs the guest's commands, but the first one {@code which} accepts fails (exit 1). */
  private static final class FailingOnce implements ProcessLauncher {
    private final ProcessLauncher delegate;
    private final Predicate<List<String>> which;
    private final AtomicReference<String> failed = new AtomicReference<>("");

    FailingOnce(ProcessLauncher delegate, Predicate<List<String>> which) {
      this.delegate = delegate;
      this.which = which;
    }

    /** The command that was made to fail, or empty. */
    String failed() {
      return failed.get();
    }

    @Override
    public LaunchedProcess start(List<String> argv) throws IOException {
      if (which.test(argv) && failed.compareAndSet("", String.join(" ", argv))) {
        return delegate.start(
            List.of("sh", "-c", "echo \"$0: injected failure\" >&2; exit 1", failed.get()));
      }
      return delegate.start(argv);
    }
  }
}
