package org.zrepl.transport.rpc;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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
 * than the write timeout. A connection past its first-request deadline after the handshake is told
 * why before it goes (its {@linkplain Tracked#onDrop farewell}: an error response the client reads
 * in place of the answer to the request it sends late), and then gets {@code handshakeTimeout} more
 * to send that request, as a refused one does; the request is read, not served. When a limit is
 * reached, the longest-waiting connection in CONNECTING or IDLE of the client with the most
 * connections (for the per-client limit: of that client) makes room; if all are in a call the
 * newcomer is refused.
 */
final class ConnectionGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

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
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(Wire.daemonThreads("zrepl-rpc-watchdog"));

  ConnectionGuard(ServerLimits limits, String where, LongSupplier clock, ConnectionCloses closes) {
    this.limits = limits;
    this.where = where;
    this.clock = clock;
    this.closes = closes;
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
    private volatile Consumer<String> farewell;
    private boolean dropped; // guarded by the guard
    private final CountDownLatch told = new CountDownLatch(1);
    private final AtomicReference<ConnectionCloses.Reason> closeReason = new AtomicReference<>();

    Tracked(Listener.Accepted accepted, long now) {
      this.accepted = accepted;
      this.since = now;
      this.deadline = now + limits.handshakeTimeout().toNanos();
    }

    /**
     * Once the handshake is done: how to tell the client, with {@code why}, that this connection is
     * dropped before its first request (an error response written on the connection).
     */
    void onDrop(Consumer<String> tell) {
      farewell = tell;
    }

    /**
     * A request's header frame was read: no deadline while the call runs. False if the connection
     * was dropped at its first-request deadline before that request arrived: then the client has
     * been told so (this waits until the error response is written) and the request must not be
     * served.
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

    boolean evictable() {
      return phase == Phase.CONNECTING || phase == Phase.IDLE;
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

  /** Admits {@code a} (making room if a waiting connection can give it up), or empty: refuse. */
  synchronized Optional<Tracked> admit(Listener.Accepted a) {
    ClientIdentity id = a.identity();
    long mine = admitted.keySet().stream().filter(x -> x.identity().equals(id)).count();
    if (mine >= limits.maxPerClient()) {
      if (!evictOldestWaiting(Optional.of(id), "client '" + id + "' is at its limit")) {
        return Optional.empty();
      }
    } else if (admitted.size() >= limits.maxConnections()) {
      if (!evictOldestWaiting(busiestWaitingClient(), "the listener is at its limit")) {
        return Optional.empty();
      }
    }
    Tracked t = new Tracked(a, clock.getAsLong());
    admitted.put(a, t);
    return Optional.of(t);
  }

  /** {@code t}'s connection was closed: counted under the first reason given, else done. */
  synchronized void done(Tracked t) {
    admitted.remove(t.accepted);
    refusing.remove(t.accepted);
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

  /**
   * The client whose waiting connection gives way at the listener's limit: the one holding the most
   * connections, and only if it holds two or more. A client with a single connection keeps it: on a
   * server starved of CPU, "no request yet" can mean a request that waits unread, and closing it
   * failed that client's step (the 8-client fleet run at {@code max_connections: 4} thrashed so);
   * the newcomer is refused instead and retries. A flood from one identity still gives way to
   * everyone else.
   */
  private Optional<ClientIdentity> busiestWaitingClient() {
    Map<ClientIdentity, Integer> counts = new HashMap<>();
    admitted.keySet().forEach(a -> counts.merge(a.identity(), 1, Integer::sum));
    return admitted.values().stream()
        .filter(Tracked::evictable)
        .map(t -> t.accepted.identity())
        .filter(id -> counts.get(id) >= 2)
        .max(Comparator.comparingInt(counts::get));
  }

  private boolean evictOldestWaiting(Optional<ClientIdentity> of, String why) {
    if (of.isEmpty()) {
      return false;
    }
    Optional<Tracked> victim =
        admitted.values().stream()
            .filter(t -> t.accepted.identity().equals(of.get()) && t.evictable())
            .min(Comparator.comparingLong(t -> t.since));
    if (victim.isEmpty()) {
      return false;
    }
    Tracked v = victim.get();
    v.closing(ConnectionCloses.Reason.EVICTED);
    admitted.remove(v.accepted);
    warnings.warn(
        "{}: closing waiting connection of client '{}' ({}, {}): {}",
        where,
        v.accepted.identity(),
        v.accepted.connection().describe(),
        v.phase == Phase.CONNECTING ? "no request yet" : "idle",
        why);
    Wire.closeQuietly(v.accepted.connection());
    return true;
  }

  private void check() {
    long now = clock.getAsLong();
    List<Listener.Accepted> expired = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<Tracked> told = new ArrayList<>();
    synchronized (this) {
      for (Tracked t : admitted.values()) {
        long d = t.deadline;
        long w = t.writingSince;
        if (d != 0 && now - d > 0 && t.phase == Phase.CONNECTING && t.farewell != null) {
          t.closing(ConnectionCloses.Reason.FIRST_REQUEST_TIMEOUT);
          t.dropped = true;
          told.add(t);
        } else if (d != 0 && now - d > 0) {
          t.closing(expiryReason(t.phase));
          expired.add(t.accepted);
          reasons.add(expiry(t.phase));
        } else if (w != 0 && now - w > limits.writeTimeout().toNanos()) {
          t.closing(ConnectionCloses.Reason.WRITE_TIMEOUT);
          expired.add(t.accepted);
          reasons.add("it read nothing for " + limits.writeTimeout() + " (the write timeout)");
        }
      }
      refusing.forEach(
          (a, d) -> {
            if (now - d > 0) {
              expired.add(a);
              reasons.add("it did not take its refusal within " + limits.handshakeTimeout());
            }
          });
      expired.forEach(refusing::remove);
      expired.forEach(admitted::remove);
      for (Tracked t : told) {
        admitted.remove(t.accepted);
        refusing.put(t.accepted, now + limits.handshakeTimeout().toNanos());
      }
    }
    for (Tracked t : told) {
      String why = farewell();
      warnings.warn(
          "{}: dropping client '{}' ({}): {}; told it so",
          where,
          t.accepted.identity(),
          t.accepted.connection().describe(),
          expiry(Phase.CONNECTING));
      try {
        t.farewell.accept(why);
      } catch (RuntimeException e) {
        Wire.closeQuietly(t.accepted.connection());
      } finally {
        t.told.countDown();
      }
    }
    for (int i = 0; i < expired.size(); i++) {
      Listener.Accepted a = expired.get(i);
      warnings.warn(
          "{}: dropping client '{}' ({}): {}",
          where,
          a.identity(),
          a.connection().describe(),
          reasons.get(i));
      Wire.closeQuietly(a.connection());
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
    }
    all.forEach(a -> Wire.closeQuietly(a.connection()));
  }
}
