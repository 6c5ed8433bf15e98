package org.zrepl.app.logging;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide logging state behind SLF4J: the installed outlets, the clock that stamps
 * entries, and a count of entries per job and level (for {@code zrepl_daemon_log_entries}). SLF4J
 * is static by design, so this is too; everything else receives what it needs explicitly.
 */
public final class Logging {

  private static volatile List<LogOutlet> outlets = List.of();
  private static volatile Clock clock = Clock.systemUTC();
  private static final Map<Key, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private Logging() {}

  /** Replaces the outlets; entries logged afterwards go to the new ones only. */
  public static void install(List<LogOutlet> newOutlets) {
    outlets = List.copyOf(newOutlets);
  }

  /** The clock that stamps entries (tests fix it). */
  public static void useClock(Clock c) {
    clock = Objects.requireNonNull(c, "clock");
  }

  public static List<LogOutlet> outlets() {
    return outlets;
  }

  /** Entries logged so far per (job, level), whatever the outlets' levels. */
  public static Map<Key, Long> counts() {
    Map<Key, Long> m = new TreeMap<>();
    COUNTS.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Whether any outlet takes entries of {@code level}. */
  static boolean enabled(LogLevel level) {
    for (LogOutlet o : outlets) {
      if (level.passes(o.level())) {
        return true;
      }
    }
    return false;
  }

  static Clock clock() {
    return clock;
  }

  static void dispatch(LogEntry e) {
    COUNTS.computeIfAbsent(new Key(e.job(), e.level()), k -> new LongAdder()).increment();
    for (LogOutlet o : outlets) {
      try {
        o.write(e);
      } catch (RuntimeException ignored) {
        // An outlet must never take the daemon down; a broken one simply loses the line.
      }
    }
  }

  /** The key of {@link #counts()}. */
  public record Key(String job, LogLevel level) implements Comparable<Key> {
    public Key {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(level, "level");
    }

    @Override
    public int compareTo(Key o) {
      int c = job.compareTo(o.job);
      return c != 0 ? c : level.compareTo(o.level);
    }
  }
}
