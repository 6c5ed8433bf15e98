package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.ServerLimits;

/**
 * Which waiting connection makes room at a limit, on a manual clock: never a connection whose
 * request may be on its way for its own client's newcomer, an idle one only after {@link
 * ConnectionGuard#IDLE_GRACE}, and one that makes room is told why (not just closed) and no longer
 * counts.
 */
class ConnectionGuardTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private ConnectionGuard guard;

  @AfterEach
  void close() {
    if (guard != null) {
      guard.close();
    }
  }

  private void guard(int max, int perClient) {
    guard =
        new ConnectionGuard(
            ServerLimits.DEFAULTS.withMaxConnections(max).withMaxPerClient(perClient),
            "test listener",
            now::get,
            ConnectionCloses.NONE);
  }

  private Listener.Accepted conn(String who, String name) {
    Connection c =
        new Connection() {
          @Override
          public InputStream in() {
            return new ByteArrayInputStream(new byte[0]);
          }

          @Override
          public OutputStream out() {
            return new ByteArrayOutputStream();
          }

          @Override
          public String describe() {
            return name;
          }

          @Override
          public void close() {
            closed.add(name);
          }
        };
    return new Listener.Accepted(c, new ClientIdentity(who));
  }

  /** Admits {@code name} of {@code who}, with a farewell that records whom it told. */
  private Optional<ConnectionGuard.Tracked> admit(String who, String name) {
    Optional<ConnectionGuard.Tracked> t = guard.admit(conn(who, name));
    t.ifPresent(x -> x.onDrop(why -> told.add(name + ": " + why)));
    return t;
  }

  private void later(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private void awaitTold(int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (told.size() < n) {
      assertThat(System.nanoTime() - deadline).as("told %s", n).isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void aConnectionWithNoRequestReadYetDoesNotGiveWayToItsOwnClientsNewcomer() {
    guard(4, 1);
    assertThat(admit("laptop", "first")).isPresent();
    later(Duration.ofSeconds(5)); // long waiting, but its request may be unread in the socket
    assertThat(admit("laptop", "second")).as("refused").isEmpty();
    assertThat(guard.admittedCount()).isEqualTo(1);
    assertThat(closed).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void anIdleConnectionGivesWayToItsOwnClientsNewcomerOnlyAfterTheGraceAndIsTold() {
    guard(4, 1);
    ConnectionGuard.Tracked first = admit("laptop", "first").orElseThrow();
    assertThat(first.inCall()).isTrue();
    first.idle();
    later(ConnectionGuard.IDLE_GRACE.dividedBy(2));
    assertThat(admit("laptop", "second")).as("it has just answered: refused").isEmpty();
    later(ConnectionGuard.IDLE_GRACE);
    assertThat(admit("laptop", "second")).isPresent();
    awaitTold(1);
    assertThat(told)
        .containsExactly(
            "first: test listener dropped this connection to make room for another (client"
                + " 'laptop' is at its limit of 1 connections; this one had idle); the request was"
                + " not served; try again");
    assertThat(closed).as("not closed before it could read why").isEmpty();
    assertThat(first.inCall()).as("a request arriving now is not served").isFalse();
    assertThat(guard.admittedCount()).isEqualTo(1);
  }

  @Test
  void atTheListenersLimitAnyClientsIdleConnectionMakesRoomFirst() {
    guard(2, 2);
    ConnectionGuard.Tracked desk = admit("desk", "desk").orElseThrow();
    assertThat(admit("desk", "desk2")).isPresent(); // desk is the busiest, waiting
    assertThat(desk.inCall()).isTrue();
    desk.idle();
    later(ConnectionGuard.IDLE_GRACE.multipliedBy(2));
    assertThat(admit("laptop", "laptop")).isPresent();
    awaitTold(1);
    assertThat(told).singleElement().asString().startsWith("desk: ").contains("this one had idle");
  }

  @Test
  void atTheListenersLimitOnlyAClientHoldingMoreThanTheNewcomersGivesUpAWaitingOne() {
    guard(3, 2);
    assertThat(admit("laptop", "laptop")).isPresent();
    assertThat(admit("desk", "desk1")).isPresent();
    assertThat(admit("desk", "desk2")).isPresent();
    later(Duration.ofSeconds(1));
    // the laptop (1) may push out the oldest waiting connection of the desk (2) ...
    assertThat(admit("laptop", "laptop2")).isPresent();
    awaitTold(1);
    assertThat(told).singleElement().asString().startsWith("desk1: ");
    // ... but not one of its own, at its per-client limit
    assertThat(admit("laptop", "laptop3")).isEmpty();
    assertThat(told).hasSize(1);
  }

  @Test
  void atTheListenersLimitClientsHoldingAsManyAsTheNewcomersKeepTheirs() {
    guard(4, 4);
    for (String n : List.of("a1", "a2")) {
      assertThat(admit("a", n)).isPresent();
    }
    for (String n : List.of("b1", "b2")) {
      assertThat(admit("b", n)).isPresent();
    }
    later(Duration.ofSeconds(1));
    assertThat(admit("a", "a3")).isEmpty();
    assertThat(admit("b", "b3")).isEmpty();
    assertThat(admit("c", "c1")).as("c (0) may push out one").isPresent();
    awaitTold(1);
    assertThat(told).singleElement().asString().matches("(a1|b1): .*");
  }

  @Test
  void aConnectionInACallNeverMakesRoom() {
    guard(1, 1);
    ConnectionGuard.Tracked busy = admit("laptop", "busy").orElseThrow();
    assertThat(busy.inCall()).isTrue();
    later(Duration.ofHours(1));
    assertThat(admit("laptop", "second")).isEmpty();
    assertThat(admit("desk", "desk")).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void aConnectionDroppedBeforeItsHandshakeIsToldOnceTheHandshakeIsDone() {
    guard(2, 2);
    ConnectionGuard.Tracked first = guard.admit(conn("laptop", "first")).orElseThrow();
    assertThat(guard.admit(conn("laptop", "second"))).isPresent();
    later(Duration.ofSeconds(1));
    assertThat(admit("desk", "desk")).isPresent();
    assertThat(told).as("no handshake yet, nothing to tell with").isEmpty();
    assertThat(closed).as("nor closed: its request may come").isEmpty();
    first.onDrop(why -> told.add("first: " + why));
    assertThat(told)
        .singleElement()
        .asString()
        .startsWith(
            "first: test listener dropped this connection to make room for another (the"
                + " listener is at its limit of 2 connections; this one had no request read yet)");
    assertThat(first.inCall()).isFalse();
  }
}
