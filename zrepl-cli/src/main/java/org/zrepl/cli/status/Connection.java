package org.zrepl.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the daemon answered, for the bottom bar.
 *
 * @param updatedAt when the last report arrived
 * @param downSince when the daemon stopped answering; empty while it answers
 * @param error why the last attempt failed
 * @param wasDownSince after it came back: since when it had been unreachable
 * @param backAt after it came back: when
 */
public record Connection(
    Optional<Instant> updatedAt,
    Optional<Instant> downSince,
    String error,
    Optional<Instant> wasDownSince,
    Optional<Instant> backAt) {

  /** How long the bar says that the daemon is back. */
  static final Duration BACK_NOTICE = Duration.ofSeconds(10);

  public Connection {
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(downSince, "downSince");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(wasDownSince, "wasDownSince");
    Objects.requireNonNull(backAt, "backAt");
  }

  /** Before the first attempt. */
  public static Connection connecting() {
    return new Connection(
        Optional.empty(), Optional.empty(), "", Optional.empty(), Optional.empty());
  }

  /** A report arrived at {@code at}. */
  public Connection answered(Instant at) {
    return downSince.isPresent()
        ? new Connection(Optional.of(at), Optional.empty(), "", downSince, Optional.of(at))
        : new Connection(Optional.of(at), Optional.empty(), "", wasDownSince, backAt);
  }

  /** The daemon could not be asked at {@code at}, for {@code why}. */
  public Connection failed(Instant at, String why) {
    return new Connection(
        updatedAt, Optional.of(downSince.orElse(at)), why, Optional.empty(), Optional.empty());
  }
}
