package org.zrepl.app.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.ReceiverMapping;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.FrameWriter;
import org.zrepl.transport.frame.Handshake;
import org.zrepl.transport.rpc.RpcServer;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;

/**
 * A hostile client that skips our client's validation: it writes the protocol's frames itself
 * (handshake, request header frames whose JSON carries the raw name strings, a pushed stream for
 * {@code receiver.receive}) to a real sink and a real source on zfs-fuse, as identity {@code
 * alice}. One table of odd names times every call that takes a filesystem name; per (name, call)
 * the answer is an error naming the problem (not a dropped connection, not a success), or, for a
 * name that is a valid name inside alice's own tree on the sink, an answer that reveals nothing
 * outside it; the pool (names, guids, mountpoint, readonly) is unchanged afterwards; and a
 * legitimate call on the same connection still works.
 */
class RawNamesZfsIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** 127.0.0.1, the address the listeners map to {@code alice}. */
  private static final InetAddress LOOPBACK = loopback();

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** What a name must get from one side. */
  private enum Expect {
    /** a BAD_REQUEST error saying the name is not a valid dataset name */
    INVALID("invalid dataset name"),
    /** a BAD_REQUEST error: under the sink's tree the name would exceed ZFS's 255 characters */
    TOO_LONG("255"),
    /** the source's error: the filesystem is not served (outside its filter) */
    NOT_SERVED("is not served by this sender"),
    /**
     * the sink: a valid name that maps inside {@code root_fs/alice}; an answer may be given, but it
     * reveals nothing (nothing exists there) and changes nothing; a garbage stream is refused
     */
    CONFINED(null),
    /**
     * an error with a message (an odd version name of a served filesystem: refused as a name, or as
     * a version that does not exist); {@code sender.sendCompleted} may instead answer ok, for a
     * step it never sent changes nothing (the pool check shows it), and {@code sender.estimateSize}
     * may answer "unknown" (null: an estimate only; {@code send} refuses such a step), never a size
     */
    ANY_ERROR(null);

    final String says;

    Expect(String says) {
      this.says = says;
    }
  }

  private record Name(String label, String raw, Expect sink, Expect source) {}

  private final CliZfs zfs = new CliZfs(new LocalProcessLauncher());
  private final List<RpcServer> servers = new ArrayList<>();
  private ZfsFixture fixture;
  private DatasetPath src;
  private DatasetPath dst;

  @AfterEach
  void stop() throws IOException {
    for (RpcServer s : servers) {
      s.close();
    }
  }

  /** The table: every odd name of issue 16, with what the sink and the source must answer. */
  private List<Name> names() {
    String abs = "/" + dst.child("x");
    return List.of(
        new Name("..", "..", Expect.INVALID, Expect.INVALID),
        new Name("../x", "../x", Expect.INVALID, Expect.INVALID),
        new Name("a/../../b", "a/../../b", Expect.INVALID, Expect.INVALID),
        new Name("absolute", abs, Expect.INVALID, Expect.INVALID),
        new Name("a@s", "a@s", Expect.INVALID, Expect.INVALID),
        new Name("@s", "@s", Expect.INVALID, Expect.INVALID),
        new Name("a#b", "a#b", Expect.INVALID, Expect.INVALID),
        new Name("a%b", "a%b", Expect.INVALID, Expect.INVALID),
        new Name("newline", "a\nb", Expect.INVALID, Expect.INVALID),
        new Name("NUL", "a\u0000b", Expect.INVALID, Expect.INVALID),
        new Name("BEL", "a\u0007b", Expect.INVALID, Expect.INVALID),
        new Name("ESC", "a\u001b[31mb", Expect.INVALID, Expect.INVALID),
        new Name("a-umlaut", "\u00e4", Expect.INVALID, Expect.INVALID),
        new Name("RTL mark", "a\u200fb", Expect.INVALID, Expect.INVALID),
        new Name("256 chars", "x".repeat(256), Expect.INVALID, Expect.INVALID),
        new Name("300-char component", "a/" + "x".repeat(300), Expect.INVALID, Expect.INVALID),
        new Name("empty", "", Expect.INVALID, Expect.INVALID),
        new Name("empty component", "a//b", Expect.INVALID, Expect.INVALID),
        new Name("trailing slash", "a/", Expect.INVALID, Expect.INVALID),
        new Name("255 chars", "x".repeat(255), Expect.TOO_LONG, Expect.NOT_SERVED),
        new Name("a space", "a b", Expect.CONFINED, Expect.NOT_SERVED),
        new Name("bob's tree", "bob/x", Expect.CONFINED, Expect.NOT_SERVED),
        new Name("sink root", dst.toString(), Expect.CONFINED, Expect.NOT_SERVED),
        new Name("source root", src.toString(), Expect.CONFINED, Expect.NOT_SERVED),
        new Name(
            "outside the filter",
            src.child("private").toString(),
            Expect.CONFINED,
            Expect.NOT_SERVED));
  }

  /** One call taking a filesystem name: its name, its arguments for a name, and its stream. */
  private record Call(String name, Args args, boolean stream) {}

  /** A call's arguments naming filesystem {@code fs} and, where it takes one, version {@code v}. */
  private interface Args {
    ObjectNode of(String fs, ObjectNode v);
  }

  private static ObjectNode version(String name, String guid) {
    return JSON.createObjectNode()
        .put("name", name)
        .put("kind", "SNAPSHOT")
        .put("guid", guid)
        .put("createTxg", 1)
        .put("creation", "2026-01-01T00:00:00Z");
  }

  private static ObjectNode step(ObjectNode v) {
    ObjectNode s = JSON.createObjectNode();
    s.set("to", v);
    s.set("intermediates", JSON.createArrayNode());
    return s;
  }

  private static ObjectNode filesystems(String fs, ObjectNode v) {
    return filesystems(fs);
  }

  private static ObjectNode filesystems(String fs) {
    ObjectNode o = JSON.createObjectNode();
    o.set("filesystems", JSON.createArrayNode().add(fs));
    return o;
  }

  private static ObjectNode filesystem(String fs, ObjectNode v) {
    return filesystem(fs);
  }

  private static ObjectNode filesystem(String fs) {
    return JSON.createObjectNode().put("filesystem", fs);
  }

  private static ObjectNode withStep(String fs, ObjectNode v) {
    ObjectNode o = filesystem(fs);
    o.set("step", step(v));
    return o;
  }

  private static ObjectNode withSnapshots(String fs, ObjectNode v) {
    ObjectNode o = filesystem(fs);
    o.set("snapshots", JSON.createArrayNode().add(v));
    return o;
  }

  /** The receiver's calls, from the server's dispatch table. */
  private static final List<Call> RECEIVER_CALLS =
      List.of(
          new Call("receiver.listFilesystems", RawNamesZfsIT::filesystems, false),
          new Call("receiver.listVersions", RawNamesZfsIT::filesystems, false),
          new Call("receiver.resumeToken", RawNamesZfsIT::filesystem, false),
          new Call("receiver.destroySnapshots", RawNamesZfsIT::withSnapshots, false),
          new Call(
              "receiver.rollback",
              (fs, v) -> {
                ObjectNode o = filesystem(fs);
                o.set("to", v);
                o.set("destroyed", JSON.createArrayNode());
                return o;
              },
              false),
          new Call(
              "receiver.receive",
              (fs, v) -> withStep(fs, v).put("resumed", false).put("clearResumeState", false),
              true));

  /**
   * Odd version names (label, name), each sent with the guid of the served filesystem's real
   * snapshot {@code s1}: ZFS's range ({@code %}) and list ({@code ,}) syntax of {@code zfs
   * destroy}, traversal, separators, control characters, unicode, an option, 256 characters, empty.
   */
  private static final List<List<String>> VERSION_NAMES =
      List.of(
          List.of("zfs range", "s1%s9"),
          List.of("zfs list", "s1,s9"),
          List.of("..", ".."),
          List.of("slash", "s1/x"),
          List.of("at", "s1@x"),
          List.of("hash", "s1#x"),
          List.of("empty", ""),
          List.of("newline", "s1\nx"),
          List.of("NUL", "s1\u0000"),
          List.of("unicode", "s\u00e4"),
          List.of("RTL mark", "s\u200f1"),
          List.of("an option", "-R"),
          List.of("trailing space", "s1 "),
          List.of("256 chars", "x".repeat(256)));

  /** The sender's calls, from the server's dispatch table (holds are not a call of their own). */
  private static final List<Call> SENDER_CALLS =
      List.of(
          new Call("sender.listVersions", RawNamesZfsIT::filesystems, false),
          new Call("sender.estimateSize", RawNamesZfsIT::withStep, false),
          new Call("sender.send", RawNamesZfsIT::withStep, false),
          new Call(
              "sender.sendCompleted", (fs, v) -> withStep(fs, v).put("replicated", true), false),
          new Call("sender.destroySnapshots", RawNamesZfsIT::withSnapshots, false));

  @Test
  void everyOddNameIsRefusedOrConfinedByEveryCallOfARealSinkAndSource() throws Exception {
    fixture = POOL.fixture(zfs);
    src = fixture.newRoot();
    dst = fixture.newReceiveRoot();
    DatasetPath a = src.child("a");
    DatasetPath secret = src.child("private");
    zfs.createFilesystem(a, Map.of(), false);
    zfs.createFilesystem(secret, Map.of(), false);
    zfs.createFilesystem(dst.child("bob/x"), Map.of(), true);
    DatasetPath alices = dst.child("alice/a");
    zfs.createFilesystem(alices, Map.of(), true);
    zfs.snapshot(List.of(a, secret, dst.child("bob/x"), alices), "s1");
    String sinkGuid = zfs.listVersions(alices).get(0).guidString();
    String sourceGuid = zfs.listVersions(a).get(0).guidString();
    int sinkPort = serve(sink());
    int sourcePort = serve(source(DatasetFilter.of(Map.of(a.toString(), "ok"))));
    String before = pool();
    assertThat(before).contains(dst.child("bob/x") + "@s1").contains(secret + "@s1");

    List<String> problems = new ArrayList<>();
    ObjectNode forged = version("s1", "42");
    int cases = 0;
    try (Raw sink = new Raw(sinkPort);
        Raw source = new Raw(sourcePort)) {
      for (Name n : names()) {
        for (Call c : RECEIVER_CALLS) {
          cases++;
          check(problems, sink, n, c, c.args().of(n.raw(), forged), "ok", a);
        }
        for (Call c : SENDER_CALLS) {
          cases++;
          check(problems, source, n, c, c.args().of(n.raw(), forged), a.toString(), a);
        }
        String after = pool();
        String changed = changed(n, before, after);
        if (changed != null) {
          problems.add(n.label() + ": " + changed + ":\n" + before + "---\n" + after);
        }
        before = after;
      }
      for (List<String> v : VERSION_NAMES) {
        Name n = new Name("version " + v.get(0), v.get(1), Expect.ANY_ERROR, Expect.ANY_ERROR);
        for (Call c : RECEIVER_CALLS) {
          if (takesVersion(c)) {
            cases++;
            check(problems, sink, n, c, c.args().of("a", version(v.get(1), sinkGuid)), "ok", a);
          }
        }
        for (Call c : SENDER_CALLS) {
          if (takesVersion(c)) {
            cases++;
            ObjectNode args = c.args().of(a.toString(), version(v.get(1), sourceGuid));
            check(problems, source, n, c, args, a.toString(), a);
          }
        }
        String after = pool();
        if (!after.equals(before)) {
          problems.add(n.label() + ": the pool changed:\n" + before + "---\n" + after);
        }
        before = after;
      }
    }
    System.out.printf(
        "RawNamesZfsIT: %d names x (%d receiver + %d sender calls) + %d version names x the"
            + " calls taking a version = %d cases, %d problems%n",
        names().size(),
        RECEIVER_CALLS.size(),
        SENDER_CALLS.size(),
        VERSION_NAMES.size(),
        cases,
        problems.size());
    assertThat(problems).isEmpty();
  }

  /**
   * Null if the pool is as it was; a refused name changes nothing at all. A valid name inside
   * alice's tree may leave placeholder filesystems there (a receive creates the missing ancestors
   * of its target before {@code zfs recv} reads the stream, as zrepl does), but no snapshot, and
   * nothing outside {@code root_fs/alice} changes.
   */
  private String changed(Name n, String before, String after) {
    if (after.equals(before)) {
      return null;
    }
    if (n.sink() != Expect.CONFINED) {
      return "the pool changed";
    }
    String mine = dst.child("alice") + "/";
    if (!outside(after, mine).equals(outside(before, mine))) {
      return "the pool changed outside " + mine;
    }
    for (String line : after.split("\n", -1)) {
      if (line.startsWith(mine) && !before.contains(line) && line.matches("[^\t]*[@#].*")) {
        return "a snapshot or bookmark appeared: " + line;
      }
    }
    return null;
  }

  private static String outside(String pool, String prefix) {
    StringBuilder out = new StringBuilder();
    for (String line : pool.split("\n", -1)) {
      if (!line.startsWith(prefix)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static boolean takesVersion(Call c) {
    return !c.name().endsWith("listFilesystems")
        && !c.name().endsWith("listVersions")
        && !c.name().endsWith("resumeToken");
  }

  /**
   * Sends one hostile request ({@code c} with {@code args}) and then a legitimate one listing
   * {@code legitimate}; adds what went wrong to problems.
   */
  private void check(
      List<String> problems,
      Raw conn,
      Name n,
      Call c,
      ObjectNode args,
      String legitimate,
      DatasetPath served)
      throws IOException {
    boolean receiver = c.name().startsWith("receiver.");
    Expect expect = receiver ? n.sink() : n.source();
    String what = c.name() + "(" + n.label() + ")";
    JsonNode reply;
    try {
      reply = conn.call(c.name(), args, c.stream());
    } catch (IOException e) {
      problems.add(what + ": no answer, the connection broke: " + e);
      conn.reconnect();
      return;
    }
    String problem = judge(expect, c, reply);
    if (problem != null) {
      problems.add(what + ": " + problem + "; answer: " + abbreviate(reply));
    }
    if (conn.streamPending) {
      conn.reconnect(); // a send was served: its stream is not ours to read here
    }
    String legit = receiver ? "receiver.listFilesystems" : "sender.listVersions";
    try {
      JsonNode ok = conn.call(legit, filesystems(legitimate), false);
      if (!ok.has("ok") || (!receiver && ok.path("ok").path(served.toString()).isEmpty())) {
        problems.add(what + ": the legitimate " + legit + " after it failed: " + abbreviate(ok));
      }
    } catch (IOException e) {
      problems.add(what + ": the legitimate " + legit + " after it broke: " + e);
      conn.reconnect();
    }
  }

  /** Null if {@code reply} is what {@code expect} asks of call {@code c}; else the problem. */
  private String judge(Expect expect, Call c, JsonNode reply) {
    JsonNode error = reply.get("error");
    if (expect == Expect.ANY_ERROR) {
      if (error == null) {
        if (c.name().equals("sender.sendCompleted")
            || (c.name().equals("sender.estimateSize") && reply.path("ok").isNull())) {
          return null;
        }
        return "expected an error, got a success";
      }
      return error.path("message").asText().isBlank() ? "an error without a message" : null;
    }
    if (expect == Expect.CONFINED) {
      if (error != null) {
        return error.path("message").asText().isBlank() ? "an error without a message" : null;
      }
      if (c.stream()) {
        return "a garbage stream was received";
      }
      return revealed(reply.get("ok"));
    }
    if (error == null) {
      return "expected an error saying '" + expect.says + "', got a success";
    }
    String type = error.path("type").asText();
    String message = error.path("message").asText();
    String wantType = expect == Expect.NOT_SERVED ? "FilesystemNotFound" : "BAD_REQUEST";
    if (!type.equals(wantType) || !message.contains(expect.says)) {
      return "expected a " + wantType + " error saying '" + expect.says + "'";
    }
    return null;
  }

  /** Null if a sink's answer shows nothing existing, or only paths inside alice's tree. */
  private String revealed(JsonNode ok) {
    if (ok == null) {
      return "neither ok nor error";
    }
    DatasetPath mine = dst.child("alice");
    if (ok.isArray()) { // listFilesystems
      for (JsonNode f : ok) {
        DatasetPath local = DatasetPath.of(f.path("localPath").asText());
        if (!local.hasPrefix(mine) || f.path("exists").asBoolean()) {
          return "revealed " + f;
        }
      }
    } else if (ok.isObject()) { // listVersions
      for (JsonNode vs : ok) {
        if (!vs.isEmpty()) {
          return "revealed versions " + vs;
        }
      }
    }
    return null;
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private int serve(Endpoints endpoints) throws IOException {
    TcpListener l = TcpListener.bind("127.0.0.1:0", ClientMap.of(Map.of("127.0.0.1", "alice")));
    servers.add(new RpcServer(l, endpoints).start());
    return l.port();
  }

  private Endpoints sink() {
    return new Endpoints() {
      @Override
      public Optional<Sender> sender(ClientIdentity c) {
        return Optional.empty();
      }

      @Override
      public Optional<Receiver> receiver(ClientIdentity c) {
        return Optional.of(
            new LocalReceiver(zfs, ReceiverMapping.underRoot(dst, c.name()), "sink"));
      }
    };
  }

  /** A source job's endpoints, as the daemon builds them (with its session's cursors). */
  private Endpoints source(DatasetFilter filter) {
    SessionCursors session = new SessionCursors();
    LocalSender local = new LocalSender(zfs, filter, "source", Set.of());
    return new Endpoints() {
      @Override
      public Optional<Sender> sender(ClientIdentity c) {
        return Optional.of(session.track(local, c.name()));
      }

      @Override
      public Optional<Receiver> receiver(ClientIdentity c) {
        return Optional.empty();
      }
    };
  }

  /**
   * {@code zfs list -H -o name -t all -r <pool>} (every dataset, snapshot and bookmark), then of
   * {@code zfs get -r -H -p all <pool>} what a client could change: guids, mountpoint, readonly,
   * every user property (zrepl's cursors and placeholder flag) and every property set locally
   * (zfs-fuse's {@code list} has no {@code -p} for exact guids and no holds to list).
   */
  private static String pool() throws IOException, InterruptedException {
    StringBuilder out =
        new StringBuilder(run("zfs", "list", "-H", "-o", "name", "-t", "all", "-r", POOL.pool()));
    String all =
        run("zfs", "get", "-r", "-H", "-p", "-o", "name,property,value,source", "all", POOL.pool());
    for (String line : all.split("\n", -1)) {
      String[] f = line.split("\t", -1);
      if (f.length == 4
          && (f[1].equals("guid")
              || f[1].equals("mountpoint")
              || f[1].equals("readonly")
              || f[1].contains(":")
              || f[3].equals("local"))) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** A connection that speaks the protocol's frames with JSON written by hand. */
  private static final class Raw implements Closeable {
    private final int port;
    private Socket socket;
    private FrameReader reader;
    private FrameWriter writer;
    boolean streamPending;

    Raw(int port) throws IOException {
      this.port = port;
      connect();
    }

    private void connect() throws IOException {
      socket = new Socket();
      socket.connect(new InetSocketAddress(LOOPBACK, port), 5000);
      socket.setSoTimeout(30_000);
      Handshake.exchange(socket.getInputStream(), socket.getOutputStream());
      reader = new FrameReader(socket.getInputStream());
      writer = new FrameWriter(socket.getOutputStream());
      streamPending = false;
    }

    void reconnect() throws IOException {
      socket.close();
      connect();
    }

    /** Sends {@code {"call":..,"args":..}} (with a 4 KiB stream of zeros) and reads the answer. */
    JsonNode call(String call, ObjectNode args, boolean stream) throws IOException {
      ObjectNode req = JSON.createObjectNode().put("call", call);
      req.set("args", args);
      writer.header(JSON.writeValueAsBytes(req), !stream);
      if (stream) {
        byte[] zeros = new byte[4096];
        writer.data(zeros, 0, zeros.length);
        writer.trailer("{}".getBytes(StandardCharsets.UTF_8));
      }
      Frame f = reader.nextControl();
      if (f == null) {
        throw new EOFException("the server closed the connection without an answer");
      }
      streamPending = !f.header().endOfMessage();
      return JSON.readTree(f.payload());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
