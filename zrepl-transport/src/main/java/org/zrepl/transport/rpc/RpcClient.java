package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.TransportException;
import org.zrepl.port.transport.TransportException.Kind;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameType;
import org.zrepl.transport.frame.Handshake;
import org.zrepl.transport.frame.ProtocolException;

/**
 * The active side's end of the RPC: one call at a time per connection, connections dialed on demand
 * and kept in a small idle pool, so concurrent replication steps use concurrent connections.
 * Failures are {@link EndpointException}s: the remote endpoint's own, decoded with their type, or a
 * {@link TransportException}.
 *
 * <p>A pooled connection may have died while it sat idle (the server evicts idle connections to
 * admit new ones at its limits, drops them after its idle timeout, or restarted). A read-only call
 * ({@link #READ_ONLY}) that fails on a reused connection before any answer is dialled again once,
 * on a new connection; any other call first checks a reused connection with a read-only call of its
 * side ({@code sender.guarantees} or {@code receiver.guarantees}) and dials anew if that fails, so
 * a stream or a change is never sent twice. Either way the idle pool is emptied: its other
 * connections most likely died of the same cause.
 *
 * <p>A request the server answers with a {@link NotServedException} (refused at a connection limit,
 * or its connection dropped unserved) was not done, so it is sent again on a new connection,
 * whatever the call: at once if it came on a pooled connection (dropped while idle), else after a
 * growing, jittered pause ({@link Patience}), for up to {@link Patience#total()} per call: a client
 * beyond a server's limit waits for a free connection instead of failing its step. A server that
 * closes a new connection during the handshake (at its limit, with more refusals to answer than it
 * has threads for; but a tcp listener closes a client it does not accept so too) is tried again
 * {@value #MAX_CLOSED_BEFORE_HANDSHAKE} times in a row at most. So that a refusal never costs a
 * pushed stream, the first call on a new connection that carries a stream is preceded by {@code
 * receiver.guarantees}: the connection is admitted before the stream starts.
 *
 * <p>{@link #stopWaiting()} (a job's reset) ends every such wait at once, and has refused calls
 * throw at once until {@link #waitAgain()}; {@link #close()} ends them for good.
 */
public final class RpcClient implements Closeable {
  private static final int MAX_IDLE = 4;

  /**
   * Idle connections older than this are closed instead of reused: well below a server's default
   * read timeout ({@link org.zrepl.port.transport.Listener#DEFAULT_READ_TIMEOUT}), after which it
   * drops a silent client.
   */
  private static final Duration MAX_IDLE_AGE = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);

  /** Calls without effect on the peer: repeating one on a new connection is safe. */
  static final Set<String> READ_ONLY =
      Set.of(
          Calls.SENDER_GUARANTEES,
          Calls.SENDER_LIST_FILESYSTEMS,
          Calls.SENDER_LIST_VERSIONS,
          Calls.SENDER_ESTIMATE_SIZE,
          Calls.RECEIVER_GUARANTEES,
          Calls.RECEIVER_LIST_FILESYSTEMS,
          Calls.RECEIVER_LIST_VERSIONS,
          Calls.RECEIVER_RESUME_TOKEN);

  /**
   * How a client waits for a server that turned a request away unserved: pauses from {@code first}
   * doubling up to {@code max} (each a random 50 to 100 % of that, so that refused clients do not
   * come back in step), for at most {@code total} per call; then the refusal is thrown (a temporary
   * error: the step's next attempt, or the next run, tries again).
   */
  record Patience(Duration first, Duration max, Duration total) {
    /** 250 ms, doubling up to 5 s, for up to 10 minutes. */
    static final Patience DEFAULT =
        new Patience(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofMinutes(10));

    /** Throws the first refusal (tests that look at it). */
    static final Patience NONE = new Patience(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    Patience {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(total, "total");
    }

    /** The pause before try {@code n + 1} after {@code n} refusals (n >= 1). */
    Duration pause(int n) {
      long cap = max.toNanos();
      long d = first.toNanos() << Math.min(n - 1, 20);
      d = d <= 0 || d > cap ? cap : d;
      return Duration.ofNanos(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
    }
  }

  /**
   * Tries in a row whose connection the server closed before its handshake, after which the client
   * stops waiting: an unlisted client is closed so too, and must not wait for minutes.
   */
  static final int MAX_CLOSED_BEFORE_HANDSHAKE = 5;

  private final Connector connector;
  private final ConnectionCloses closes;
  private final Patience patience;
  private final Deque<Wire> idle = new ArrayDeque<>();
  // guarded by idle
  private boolean closed;
  // guarded by idle: refused calls throw at once instead of waiting
  private boolean impatient;

  public RpcClient(Connector connector) {
    this(connector, ConnectionCloses.NONE);
  }

  /** A client that counts why its connections close in {@code closes}. */
  RpcClient(Connector connector, ConnectionCloses closes) {
    this(connector, closes, Patience.DEFAULT);
  }

  /** A client that waits for a server turning requests away as {@code patience} says. */
  RpcClient(Connector connector, ConnectionCloses closes, Patience patience) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.closes = Objects.requireNonNull(closes, "closes");
    this.patience = Objects.requireNonNull(patience, "patience");
  }

  /** The peer as people read it. */
  public String describe() {
    return connector.describe();
  }

  /** A call without streams; returns the result ({@code null} JSON for void calls). */
  JsonNode call(String name, JsonNode args) {
    return patiently(name, () -> callOnce(name, args));
  }

  private JsonNode callOnce(String name, JsonNode args) {
    Wire w = acquireFor(name, false);
    if (w.reused && READ_ONLY.contains(name)) {
      try {
        return exchange(w, name, args);
      } catch (IOException e) {
        if (e instanceof RemoteCallException r && !(r.remote instanceof NotServedException)) {
          throw failure(name, w, e);
        }
        foundDead(w, name, e);
        w = dial();
      }
    }
    try {
      return exchange(w, name, args);
    } catch (IOException e) {
      throw failure(name, w, e);
    }
  }

  /**
   * Runs {@code attempt} until it is not turned away unserved, pausing as {@link #patience} says;
   * throws the last {@link NotServedException} once patience is used up.
   */
  private <T> T patiently(String call, Supplier<T> attempt) {
    long start = System.nanoTime();
    int closedEarly = 0;
    for (int n = 1; ; n++) {
      try {
        T result = attempt.get();
        if (n > 1) {
          LOG.info(
              "{} to {} served after {} tries ({} ms waiting for the server to take it)",
              call,
              connector.describe(),
              n,
              Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        return result;
      } catch (NotServedException e) {
        Duration pause = patience.pause(n);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        closedEarly = e.beforeHandshake ? closedEarly + 1 : 0;
        if (isImpatient()) {
          LOG.info(
              "{} to {} not served; not waiting for the server: the job's run was aborted: {}",
              call,
              connector.describe(),
              e.getMessage());
          throw e;
        }
        if (waited.plus(pause).compareTo(patience.total()) >= 0
            || closedEarly >= MAX_CLOSED_BEFORE_HANDSHAKE) {
          if (n > 1) {
            LOG.info(
                "{} to {}: not served in {} tries over {} ms, giving up: {}",
                call,
                connector.describe(),
                n,
                waited.toMillis(),
                e.getMessage());
          }
          throw e;
        }
        if (n == 1) {
          LOG.info(
              "{} to {} not served, waiting and trying again (for up to {}): {}",
              call,
              connector.describe(),
              patience.total(),
              e.getMessage());
        } else {
          LOG.debug(
              "{} to {}: try {} not served: {}", call, connector.describe(), n, e.getMessage());
        }
        pause(pause, e);
      }
    }
  }

  /**
   * Waits {@code d}; a client closed meanwhile (its job stopped), or told to {@link #stopWaiting()}
   * (its run aborted), throws {@code refusal}.
   */
  private void pause(Duration d, NotServedException refusal) {
    long until = System.nanoTime() + d.toNanos();
    synchronized (idle) {
      while (!closed && !impatient) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw refusal;
        }
      }
    }
    LOG.info(
        "stopped waiting for {} to serve a request it turned away: {}",
        connector.describe(),
        closed ? "the client is closed" : "the job's run was aborted");
    throw refusal;
  }

  private boolean isImpatient() {
    synchronized (idle) {
      return impatient || closed;
    }
  }

  /**
   * Ends every wait for the server to take a refused request (each throws its refusal now), and has
   * refused requests throw at once until {@link #waitAgain()}: a job's run was aborted.
   */
  public void stopWaiting() {
    synchronized (idle) {
      impatient = true;
      idle.notifyAll();
    }
  }

  /** Refused requests wait for the server again, as {@link Patience} says (the next run). */
  public void waitAgain() {
    synchronized (idle) {
      impatient = false;
    }
  }

  /** Sends one request on {@code w} and reads its answer; puts {@code w} back on success. */
  private JsonNode exchange(Wire w, String name, JsonNode args) throws IOException {
    w.writer.header(request(name, args), true);
    Response r = readResponse(w);
    if (r.streamFollows) {
      throw new ProtocolException("call " + name + " got a stream it did not ask for");
    }
    release(w);
    return r.result();
  }

  /**
   * A connection for {@code call}: a pooled one as is for a read-only call (retried on failure), a
   * pooled one that answered a read-only probe for any other call, else a new one; with {@code
   * admitted}, a new one only once it answered the probe too (the server admitted it).
   */
  private Wire acquireFor(String call, boolean admitted) {
    Wire w = acquire();
    if (w.reused ? READ_ONLY.contains(call) : !admitted) {
      return w;
    }
    try {
      probe(w, call);
      return w;
    } catch (IOException e) {
      if (!w.reused) {
        throw failure(probeFor(call), w, e);
      }
      if (e instanceof RemoteCallException) {
        w.close(ConnectionCloses.Reason.REMOTE_ERROR);
      } else {
        foundDead(w, call, e);
      }
    }
    Wire fresh = dial();
    if (admitted) {
      try {
        probe(fresh, call);
      } catch (IOException e) {
        throw failure(probeFor(call), fresh, e);
      }
    }
    return fresh;
  }

  /**
   * Sends {@code call}'s side's read-only {@code guarantees} on {@code w} and reads the answer;
   * returns if it answered (an error that leaves the connection open counts: the connection is in
   * sync), else throws.
   */
  private static void probe(Wire w, String call) throws IOException {
    w.writer.header(request(probeFor(call), null), true);
    try {
      readResponse(w);
    } catch (RemoteCallException e) {
      if (closesConnection(e.remote)) {
        throw e;
      }
    }
  }

  private static String probeFor(String call) {
    return call.startsWith("sender.") ? Calls.SENDER_GUARANTEES : Calls.RECEIVER_GUARANTEES;
  }

  /** A reused connection failed before it answered: closes it and the idle pool. */
  private void foundDead(Wire w, String call, IOException e) {
    w.close(ConnectionCloses.Reason.PEER_CLOSED_IDLE);
    List<Wire> others;
    synchronized (idle) {
      others = List.copyOf(idle);
      idle.clear();
    }
    others.forEach(o -> o.close(ConnectionCloses.Reason.POOL_FLUSHED));
    LOG.info(
        "connection to {} was closed while idle ({}); {} on a new connection",
        connector.describe(),
        e.getMessage(),
        READ_ONLY.contains(call) ? "retrying " + call : call);
  }

  /**
   * A call whose request carries {@code stream} (push). The stream is copied in data frames; if the
   * server answers before its end (its receiver failed), copying stops at once and the server's
   * error is thrown. Does not close {@code stream}.
   */
  JsonNode callWithStream(String name, JsonNode args, InputStream stream) {
    Wire w = patiently(name, () -> acquireFor(name, true));
    CompletableFuture<Response> answer = null;
    try {
      w.writer.header(request(name, args), false);
      answer = CompletableFuture.supplyAsync(() -> readResponseUnchecked(w), Wire.WATCHERS);
      CompletableFuture<Response> a = answer;
      StreamPump.Outcome o = StreamPump.pump(stream, w.writer, a::isDone);
      if (o instanceof StreamPump.Completed) {
        w.writer.trailer(Json.bytes(Json.F.objectNode()));
      } else if (o instanceof StreamPump.SourceFailed f) {
        w.writer.reset(reset("the sending side's stream failed: " + f.error().getMessage()));
      } else {
        w.writer.reset(reset("the receiver answered early"));
      }
      Response r = await(answer);
      release(w);
      if (o instanceof StreamPump.SourceFailed f) {
        throw new StreamFailedException(
            "reading the send stream failed: " + f.error().getMessage(), f.error());
      }
      return r.result();
    } catch (IOException e) {
      if (answer != null && !(e instanceof RemoteCallException)) {
        // Writing failed: the server may have answered (its receiver's error) before closing.
        w.close(ConnectionCloses.of(e));
        if (awaitQuietly(answer) instanceof RemoteCallException r) {
          throw r.remote;
        }
      }
      throw failure(name, w, e);
    }
  }

  /** A call whose response carries a stream (pull). The caller must close the stream. */
  StreamingResult callForStream(String name, JsonNode args) {
    return patiently(name, () -> callForStreamOnce(name, args));
  }

  private StreamingResult callForStreamOnce(String name, JsonNode args) {
    Wire w = acquireFor(name, false);
    try {
      w.writer.header(request(name, args), true);
      Response r = readResponse(w);
      if (!r.streamFollows) {
        throw new ProtocolException("call " + name + " expected a stream, got none");
      }
      return new StreamingResult(r.result(), new RemoteStream(this, w, name));
    } catch (IOException e) {
      throw failure(name, w, e);
    }
  }

  record StreamingResult(JsonNode result, RemoteStream stream) {}

  private record Response(JsonNode result, boolean streamFollows) {}

  private static byte[] request(String name, JsonNode args) {
    ObjectNode o = Json.F.objectNode().put("call", name);
    o.set("args", args);
    return Json.bytes(o);
  }

  static String reset(String message) {
    return Json.F.objectNode().put("message", message).toString();
  }

  /** Reads a response header; a remote error is thrown decoded, after the message was consumed. */
  private static Response readResponse(Wire w) throws IOException {
    Frame f = w.reader.nextControl();
    if (f == null) {
      throw new PeerClosedException(
          "the server closed the connection without answering (a server closes a connection over"
              + " its serve.limits or one whose first request did not arrive within its"
              + " first_request_timeout, and its log says which)");
    }
    if (f.type() != FrameType.HEADER) {
      throw new ProtocolException("expected a response header frame, got " + f.type().label());
    }
    ObjectNode o = Json.parse("response header frame", f.payload());
    JsonNode error = o.get("error");
    if (error != null) {
      if (!f.header().endOfMessage()) {
        throw new ProtocolException("an error response must not carry a stream");
      }
      throw new RemoteCallException(RemoteErrors.decode(error));
    }
    return new Response(o.path("ok"), !f.header().endOfMessage());
  }

  private static Response readResponseUnchecked(Wire w) {
    try {
      return readResponse(w);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits for the watcher's answer; the server always answers a streamed request. */
  private static Response await(CompletableFuture<Response> answer) throws IOException {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the answer");
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  /** The server's error answer if it sent one before the connection broke, else null. */
  private static IOException awaitQuietly(CompletableFuture<Response> answer) {
    try {
      answer.get(5, TimeUnit.SECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return e.getCause() instanceof RemoteCallException r ? r : null;
    } catch (TimeoutException e) {
      return null;
    }
  }

  private static IOException unwrap(Throwable t) {
    if (t instanceof java.io.UncheckedIOException u) {
      return u.getCause();
    }
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    return new IOException(t);
  }

  /**
   * The exception for a failed call: a remote error as decoded (the connection stays in sync and
   * goes back to the pool), anything else a {@link TransportException} (the connection is closed).
   */
  EndpointException failure(String call, Wire w, IOException e) {
    if (e instanceof RemoteCallException r) {
      if (closesConnection(r.remote)) {
        w.close(ConnectionCloses.Reason.REMOTE_ERROR); // the server closes it after such an error
      } else {
        release(w);
      }
      return r.remote;
    }
    w.close(ConnectionCloses.of(e));
    Kind kind = e instanceof ProtocolException ? Kind.PROTOCOL : Kind.IO;
    return new TransportException(
        kind, "call " + call + " to " + connector.describe() + " failed: " + e.getMessage(), e);
  }

  private static boolean closesConnection(EndpointException remote) {
    return remote instanceof TransportException t
        && t.kind() != Kind.ACCESS_DENIED
        && t.kind() != Kind.BAD_REQUEST;
  }

  private Wire acquire() {
    synchronized (idle) {
      if (closed) {
        throw new TransportException(
            Kind.CONNECT, "client for " + connector.describe() + " is closed", null);
      }
      long now = System.nanoTime();
      for (Wire w = idle.pollFirst(); w != null; w = idle.pollFirst()) {
        if (now - w.idleSince < MAX_IDLE_AGE.toNanos()) {
          return w;
        }
        w.close(ConnectionCloses.Reason.IDLE_AGE); // the server may have dropped it by now
      }
    }
    return dial();
  }

  /** A new connection, after the handshake. */
  private Wire dial() {
    try {
      Connection c = connector.connect();
      try {
        return Wire.open(c).countedIn(closes);
      } catch (IOException | RuntimeException e) {
        closes.count(ConnectionCloses.Side.CLIENT, ConnectionCloses.of(e)); // open() closed it
        throw e;
      }
    } catch (Handshake.PeerClosedException e) {
      throw new NotServedException(
          "connecting to "
              + connector.describe()
              + ": "
              + e.getMessage()
              + ": the server does not accept this client, or is at its connection limit and"
              + " closes what it cannot answer (its log says which)",
          true);
    } catch (ProtocolException e) {
      throw new TransportException(
          Kind.PROTOCOL, "connecting to " + connector.describe() + ": " + e.getMessage(), e);
    } catch (java.net.UnknownHostException e) {
      throw new TransportException(
          Kind.CONNECT,
          "cannot connect to " + connector.describe() + ": unknown host " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new TransportException(
          Kind.CONNECT, "cannot connect to " + connector.describe() + ": " + e.getMessage(), e);
    }
  }

  void release(Wire w) {
    synchronized (idle) {
      if (!closed && idle.size() < MAX_IDLE) {
        w.idleSince = System.nanoTime();
        w.reused = true;
        idle.addFirst(w);
        return;
      }
    }
    w.close();
  }

  @Override
  public void close() {
    synchronized (idle) {
      closed = true;
      idle.notifyAll(); // ends a wait for a server that refused
      idle.forEach(Wire::close);
      idle.clear();
    }
  }

  /** The server closed the connection where an answer was due. */
  static final class PeerClosedException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    PeerClosedException(String message) {
      super(message);
    }
  }

  /** Carries a decoded remote error through code that only passes IOExceptions. */
  static final class RemoteCallException extends IOException {
    private static final long serialVersionUID = 1L;
    final transient EndpointException remote;

    RemoteCallException(EndpointException remote) {
      super(remote.getMessage(), remote);
      this.remote = remote;
    }
  }
}
