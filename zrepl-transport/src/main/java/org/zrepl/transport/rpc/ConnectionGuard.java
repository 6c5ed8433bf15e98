package org.zrepl.transport.rpc;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.ServerLimits;

/**
 * Admits connections within the {@link ServerLimits} and enforces their deadlines. Each admitted
 * connection is in one phase:
 *
 * <pre>
 *  CONNECTING --first request header read--> CALL --response sent--> IDLE
 *      (handshakeTimeout from accept)         (no deadline;          (idleTimeout; the first
 *                                              writes: writeTimeout)   byte of the next header
 *                                                                       starts headerTimeout)
 * </pre>
 *
 * A watchdog thread closes a connection whose deadline passed or whose write has blocked longer
 * than the write timeout.
 *
 * <p>A connection in CONNECTING or IDLE may have a request on its way that the server has not read
 * yet (on a server starved of CPU, for seconds), so such a connection is never just closed: it is
 * <em>dropped unserved</em>. The client is told why (its {@linkplain Tracked#onDrop farewell}: a
 * {@link NotServedException} it reads in place of the answer to that request), the request, if one
 * comes within {@code handshakeTimeout}, is read (with its stream, so the close resets nothing) and
 * not served, and the connection no longer counts against the limits. The client sends the request
 * again on a new connection. Connections are dropped so at their first-request deadline and to make
 * room at a limit: at the per-client limit the client's own longest-idle connection (idle at least
 * {@link #IDLE_GRACE}: one that has just answered is about to get its next request), at the
 * listener's limit the longest-idle connection of any client, else the longest-waiting CONNECTING
 * one of the client holding the most connections, if it holds more than the newcomer's client and
 * at least two (so that a flood from one identity gives way to everyone else, and a client never
 * pushes out its own requests). Otherwise the newcomer is refused ({@link RpcServer}), also with a
 * {@link NotServedException}.
 */
final class ConnectionGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  /** How long a connection must have been idle before it is dropped to make room. */
  static final Duration IDLE_GRACE = Duration.ofMillis(500);

  enum Phase {
    CONNECTING,
    CALL,
    IDLE,
    HEADER
  }

  private final ServerLimits limits;
  private final String where;
  private final LongSupplier clock;
  private final ConnectionCloses closes;
  private final RateLimitedLog warnings = new RateLimitedLog(LOG);
  private final Map<Listener.Accepted, Tracked> admitted = new LinkedHashMap<>();
  private final Map<Listener.Accepted, Long> refusing = new HashMap<>();

  /** Those of {@link #refusing} that were dropped unserved (logged when dropped, not again). */
  private final Set<Listener.Accepted> lingering = new HashSet<>();

  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(Wire.daemonThreads("zrepl-rpc-watchdog"));

  /**
   * Dropped connections waiting for their request at most, each holding its thread; beyond that a
   * connection dropped to make room is closed without a word, as it was before farewells.
   */
  private final int maxLingering;

  ConnectionGuard(ServerLimits limits, String where, LongSupplier clock, ConnectionCloses closes) {
    this.limits = limits;
    this.where = where;
    this.clock = clock;
    this.closes = closes;
    this.maxLingering = Math.min(16, limits.maxConnections());
    long tick =
        Math.max(
            20,
            Math.min(
                1000,
                Math.min(limits.handshakeTimeout().toMillis(), limits.headerTimeout().toMillis())
                    / 5));
    var unused = watchdog.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** One admitted connection's phase, deadline and write in progress. */
  final class Tracked {
    final Listener.Accepted accepted;
    private volatile Phase phase = Phase.CONNECTING;
    private volatile long since;
    private volatile long deadline;
    private volatile long writingSince;
    private Consumer<String> farewell; // guarded by the guard
    private boolean dropped; // guarded by the guard
    private String dropWhy; // guarded by the guard
    private final CountDownLatch told = new CountDownLatch(1);
    private final AtomicReference<ConnectionCloses.Reason> closeReason = new AtomicReference<>();

    Tracked(Listener.Accepted accepted, long now) {
      this.accepted = accepted;
      this.since = now;
      this.deadline = now + limits.handshakeTimeout().toNanos();
    }

    /**
     * Once the handshake is done: how to tell the client, with {@code why}, that this connection is
     * dropped unserved (an error response written on the connection). If it was dropped during the
     * handshake, the client is told now, on the calling thread.
     */
    void onDrop(Consumer<String> tell) {
      boolean pending;
      synchronized (ConnectionGuard.this) {
        farewell = tell;
        pending = dropped && dropWhy != null;
      }
      if (pending) {
        say();
      }
    }

    /** Writes the farewell; a failure to write it closes the connection. */
    private void say() {
      Consumer<String> tell;
      String why;
      synchronized (ConnectionGuard.this) {
        tell = farewell;
        why = dropWhy;
      }
      try {
        tell.accept(why);
      } catch (RuntimeException e) {
        Wire.closeQuietly(accepted.connection());
      } finally {
        told.countDown();
      }
    }

    /**
     * A request's header frame was read: no deadline while the call runs. False if the connection
     * was dropped unserved before that request arrived: then the client has been told so (this
     * waits until the error response is written) and the request must not be served.
     */
    boolean inCall() {
      synchronized (ConnectionGuard.this) {
        if (!dropped) {
          phase = Phase.CALL;
          deadline = 0;
          return true;
        }
      }
      try {
        if (!told.await(limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.debug("{}: the farewell to {} took longer than the write timeout", where, accepted);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    /** Whether this connection was dropped unserved (its end is expected, not news). */
    boolean wasDropped() {
      synchronized (ConnectionGuard.this) {
        return dropped;
      }
    }

    /** The response went out: the client may send its next request. */
    void idle() {
      long now = clock.getAsLong();
      since = now;
      deadline = now + limits.idleTimeout().toNanos();
      phase = Phase.IDLE;
    }

    private void bytesArrived() {
      if (phase == Phase.IDLE) {
        phase = Phase.HEADER;
        deadline = clock.getAsLong() + limits.headerTimeout().toNanos();
      }
    }

    /** Why this connection is closed, unless a reason was given first (the first cause wins). */
    void closing(ConnectionCloses.Reason why) {
      closeReason.compareAndSet(null, why);
    }

    private boolean idleFor(long now, long nanos) {
      return phase == Phase.IDLE && now - since >= nanos;
    }

    InputStream in(InputStream in) {
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytesArrived();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            bytesArrived();
          }
          return n;
        }
      };
    }

    OutputStream out(OutputStream out) {
      return new FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          writingSince = clock.getAsLong();
          try {
            out.write(b);
          } finally {
            writingSince = 0;
          }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          writingSince = clock.getAsLong();
          try {
            out.write(b, off, len);
          } finally {
            writingSince = 0;
          }
        }

        @Override
        public void flush() throws IOException {
          writingSince = clock.getAsLong();
          try {
            out.flush();
          } finally {
            writingSince = 0;
          }
        }
      };
    }
  }

  /**
   * Admits {@code a} (dropping a waiting connection to make room if one may go), or empty: refuse.
   */
  Optional<Tracked> admit(Listener.Accepted a) {
    Tracked t;
    Optional<Tracked> told;
    synchronized (this) {
      ClientIdentity id = a.identity();
      long now = clock.getAsLong();
      Map<ClientIdentity, Integer> counts = counts();
      int mine = counts.getOrDefault(id, 0);
      Optional<Tracked> victim;
      String why;
      if (mine >= limits.maxPerClient()) {
        victim = longestIdle(x -> x.accepted.identity().equals(id), now);
        why = "client '" + id + "' is at its limit of " + limits.maxPerClient() + " connections";
      } else if (admitted.size() >= limits.maxConnections()) {
        victim = longestIdle(x -> true, now).or(() -> busiestWaiting(counts, mine));
        why = "the listener is at its limit of " + limits.maxConnections() + " connections";
      } else {
        victim = Optional.empty();
        why = null;
      }
      if (why != null && victim.isEmpty()) {
        return Optional.empty();
      }
      told = victim.flatMap(v -> makeRoom(v, why, now));
      t = new Tracked(a, now);
      admitted.put(a, t);
    }
    told.ifPresent(
        v -> {
          try {
            watchdog.execute(v::say);
          } catch (RejectedExecutionException e) {
            Wire.closeQuietly(v.accepted.connection()); // the server is stopping
          }
        });
    return Optional.of(t);
  }

  private Map<ClientIdentity, Integer> counts() {
    Map<ClientIdentity, Integer> counts = new HashMap<>();
    admitted.keySet().forEach(x -> counts.merge(x.identity(), 1, Integer::sum));
    return counts;
  }

  /** The connection idle longest, at least {@link #IDLE_GRACE}, among those {@code of} accepts. */
  private Optional<Tracked> longestIdle(java.util.function.Predicate<Tracked> of, long now) {
    long grace = Math.min(IDLE_GRACE.toNanos(), limits.idleTimeout().toNanos() / 2);
    return admitted.values().stream()
        .filter(x -> of.test(x) && x.idleFor(now, grace))
        .min(Comparator.comparingLong(x -> x.since));
  }

  /**
   * The longest-waiting CONNECTING connection of the client holding the most connections, if it
   * holds two or more and more than the newcomer's client ({@code mine}). A client with a single
   * connection keeps it, and a client never pushes out its own: "no request yet" can be a request
   * that waits unread.
   */
  private Optional<Tracked> busiestWaiting(Map<ClientIdentity, Integer> counts, int mine) {
    Optional<ClientIdentity> busiest =
        admitted.values().stream()
            .filter(x -> x.phase == Phase.CONNECTING)
            .map(x -> x.accepted.identity())
            .filter(c -> counts.get(c) >= 2 && counts.get(c) > mine)
            .max(Comparator.comparingInt(counts::get));
    return busiest.flatMap(
        c ->
            admitted.values().stream()
                .filter(x -> x.accepted.identity().equals(c) && x.phase == Phase.CONNECTING)
                .min(Comparator.comparingLong(x -> x.since)));
  }

  /**
   * Drops {@code v} unserved to make room; returns it if its farewell is to be said now (outside
   * the lock). Beyond {@link #maxLingering} dropped connections it is closed at once instead.
   */
  private Optional<Tracked> makeRoom(Tracked v, String why, long now) {
    String state = v.phase == Phase.CONNECTING ? "no request read yet" : "idle";
    warnings.warn(
        "{}: dropping waiting connection of client '{}' ({}, {}) unserved: {}",
        where,
        v.accepted.identity(),
        v.accepted.connection().describe(),
        state,
        why);
    return dropUnserved(
        v,
        ConnectionCloses.Reason.EVICTED,
        where
            + " dropped this connection to make room for another ("
            + why
            + "; this one had "
            + state
            + "); the request was not served; try again",
        now);
  }

  /** Drops {@code t} unserved (the caller holds the lock); returns it if it is to be told now. */
  private Optional<Tracked> dropUnserved(
      Tracked t, ConnectionCloses.Reason reason, String why, long now) {
    t.closing(reason);
    admitted.remove(t.accepted);
    t.dropped = true; // whatever request comes now is not served
    if (lingering.size() >= maxLingering) {
      t.told.countDown(); // nobody will be told
      Wire.closeQuietly(t.accepted.connection());
      return Optional.empty();
    }
    t.dropWhy = why;
    refusing.put(t.accepted, now + limits.handshakeTimeout().toNanos());
    lingering.add(t.accepted);
    return t.farewell != null ? Optional.of(t) : Optional.empty();
  }

  /** {@code t}'s connection was closed: counted under the first reason given, else done. */
  synchronized void done(Tracked t) {
    admitted.remove(t.accepted);
    refusing.remove(t.accepted);
    lingering.remove(t.accepted);
    t.closing(ConnectionCloses.Reason.DONE);
    closes.count(ConnectionCloses.Side.SERVER, t.closeReason.get());
  }

  /** A connection turned away at a limit (never served). */
  void refused() {
    closes.count(ConnectionCloses.Side.SERVER, ConnectionCloses.Reason.REFUSED);
  }

  synchronized int admittedCount() {
    return admitted.size();
  }

  /** A refused connection gets {@code handshakeTimeout} to take its answer. */
  synchronized void refusing(Listener.Accepted a, boolean started) {
    if (started) {
      refusing.put(a, clock.getAsLong() + limits.handshakeTimeout().toNanos());
    } else {
      refusing.remove(a);
    }
  }

  RateLimitedLog warnings() {
    return warnings;
  }

  private void check() {
    long now = clock.getAsLong();
    List<Listener.Accepted> expired = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<Boolean> afterWord = new ArrayList<>(); // the client was told why (dropped, refused)
    List<Tracked> told = new ArrayList<>();
    synchronized (this) {
      List<Tracked> late = new ArrayList<>();
      for (Tracked t : admitted.values()) {
        long d = t.deadline;
        long w = t.writingSince;
        if (d != 0 && now - d > 0 && t.phase == Phase.CONNECTING) {
          late.add(t); // told once its handshake is done, if it is not yet
        } else if (d != 0 && now - d > 0) {
          t.closing(expiryReason(t.phase));
          expired.add(t.accepted);
          reasons.add(expiry(t.phase));
          afterWord.add(false);
        } else if (w != 0 && now - w > limits.writeTimeout().toNanos()) {
          t.closing(ConnectionCloses.Reason.WRITE_TIMEOUT);
          expired.add(t.accepted);
          reasons.add("it read nothing for " + limits.writeTimeout() + " (the write timeout)");
          afterWord.add(false);
        }
      }
      refusing.forEach(
          (a, d) -> {
            if (now - d > 0) {
              expired.add(a);
              reasons.add(
                  lingering.remove(a)
                      ? null // dropped unserved, and logged so; no request came
                      : "it did not take its refusal within " + limits.handshakeTimeout());
              afterWord.add(true);
            }
          });
      expired.forEach(refusing::remove);
      expired.forEach(admitted::remove);
      for (Tracked t : late) {
        warnings.warn(
            "{}: dropping client '{}' ({}): {}; telling it so",
            where,
            t.accepted.identity(),
            t.accepted.connection().describe(),
            expiry(Phase.CONNECTING));
        dropUnserved(t, ConnectionCloses.Reason.FIRST_REQUEST_TIMEOUT, farewell(), now)
            .ifPresent(told::add);
      }
    }
    for (Tracked t : told) {
      t.say();
    }
    for (int i = 0; i < expired.size(); i++) {
      Listener.Accepted a = expired.get(i);
      if (reasons.get(i) != null) {
        warnings.warn(
            "{}: dropping client '{}' ({}): {}",
            where,
            a.identity(),
            a.connection().describe(),
            reasons.get(i));
      }
      if (afterWord.get(i)) {
        // It was told why (dropped unserved, or refused): an orderly end for the client, whose
        // ssh must not print the daemon's end of the session as an error.
        Wire.closeAfterFarewell(a.connection());
      } else {
        Wire.closeQuietly(a.connection());
      }
    }
  }

  /** What a client dropped at its first-request deadline reads in place of its answer. */
  private String farewell() {
    return where
        + " dropped this connection: its first request did not arrive within "
        + limits.handshakeTimeout()
        + " of the server accepting it (serve.limits.first_request_timeout); the request was not"
        + " served. A client starved of CPU or a slow link between the handshake and the request"
        + " does this; a later try is served";
  }

  private static ConnectionCloses.Reason expiryReason(Phase p) {
    return switch (p) {
      case CONNECTING -> ConnectionCloses.Reason.FIRST_REQUEST_TIMEOUT;
      case HEADER -> ConnectionCloses.Reason.HEADER_TIMEOUT;
      case IDLE, CALL -> ConnectionCloses.Reason.IDLE_TIMEOUT; // no deadline runs during a call
    };
  }

  private String expiry(Phase p) {
    return switch (p) {
      case CONNECTING ->
          "no handshake and request within " + limits.handshakeTimeout() + " (handshakeTimeout)";
      case HEADER ->
          "its request header did not arrive whole within "
              + limits.headerTimeout()
              + " (headerTimeout)";
      case IDLE -> "idle for " + limits.idleTimeout() + " (idleTimeout)";
      case CALL -> "a deadline passed";
    };
  }

  /** Stops the watchdog and closes every connection it guards. */
  @Override
  public void close() {
    watchdog.shutdownNow();
    List<Listener.Accepted> all;
    synchronized (this) {
      admitted.values().forEach(t -> t.closing(ConnectionCloses.Reason.SERVER_STOPPED));
      all = new ArrayList<>(admitted.keySet());
      all.addAll(refusing.keySet());
      admitted.clear();
      refusing.clear();
      lingering.clear();
    }
    all.forEach(a -> Wire.closeQuietly(a.connection()));
  }
}
