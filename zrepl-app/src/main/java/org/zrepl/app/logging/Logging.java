package org.zrepl.app.logging;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The process-wide logging state behind SLF4J: the installed outlets, the clock that stamps
 * entries, a count of entries per job and level (for {@code zrepl_daemon_log_entries}) and of lines
 * each outlet could not deliver (for {@code zrepl_logging_outlet_dropped_total}). SLF4J is static
 * by design, so this is too; everything else receives what it needs explicitly.
 *
 * <p>When an outlet starts failing, the failure is reported once, until it delivers again: on
 * stderr (see {@link #useConsole}) and, as zrepl does, to the first outlet as an error entry {@code
 * outlet error} with the outlet's name and the cause.
 */
public final class Logging {

  private static volatile List<LogOutlet> outlets = List.of();
  private static volatile Clock clock = Clock.systemUTC();
  private static final Map<Key, LongAdder> COUNTS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> DROPPED = new ConcurrentHashMap<>();
  private static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
  private static volatile Consumer<String> stderr = line -> {};
  private static volatile boolean stdoutIsTerminal;

  private Logging() {}

  /**
   * Binds SLF4J and its MDC on the calling thread, before a command starts other threads. Else the
   * first thread to log binds it, and another that touches the MDC meanwhile (a step's log context)
   * gets a temporary adapter, which SLF4J announces on stderr ("Temporary mdcAdapter given by
   * SubstituteServiceProvider"): {@code run --once} printed that in 8 of 10 runs.
   */
  public static void bindSlf4j() {
    LoggerFactory.getILoggerFactory();
    MDC.getMDCAdapter();
  }

  /** Replaces the outlets; entries logged afterwards go to the new ones only. */
  public static void install(List<LogOutlet> newOutlets) {
    outlets = List.copyOf(newOutlets);
    FAILING.clear();
  }

  /**
   * What the CLI knows of its console: whether standard output is a terminal (stdout outlets with
   * {@code color: true} colour their lines only then, as zrepl's), and where outlet failures are
   * reported ({@code stderr}, one line each).
   */
  public static void useConsole(boolean stdoutTerminal, Consumer<String> stderrLines) {
    stdoutIsTerminal = stdoutTerminal;
    stderr = Objects.requireNonNull(stderrLines, "stderrLines");
  }

  static boolean stdoutIsTerminal() {
    return stdoutIsTerminal;
  }

  /** Lines each outlet (by {@link LogOutlet#name()}) could not deliver since the start. */
  public static Map<String, Long> dropped() {
    Map<String, Long> m = new TreeMap<>();
    DROPPED.forEach((k, v) -> m.put(k, v.sum()));
    return m;
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
    List<LogOutlet> all = outlets;
    for (LogOutlet o : all) {
      if (!o.takes(e)) {
        continue;
      }
      try {
        o.write(e);
        FAILING.remove(o.name());
      } catch (RuntimeException failure) {
        // An outlet must never take the daemon down; a broken one loses the line, counted.
        dropped(o, failure, all);
      }
    }
  }

  @SuppressWarnings("ReferenceEquality") // "the first outlet" is one object, not an equal one
  private static void dropped(LogOutlet o, RuntimeException failure, List<LogOutlet> all) {
    DROPPED.computeIfAbsent(o.name(), k -> new LongAdder()).increment();
    if (!FAILING.add(o.name())) {
      return; // reported when this outage began
    }
    String why =
        ZreplLogger.causeChain(
            failure instanceof java.io.UncheckedIOException u ? u.getCause() : failure);
    try {
      stderr.accept(
          "zrepl: logging outlet "
              + LogText.clean(o.name(), LogText.VALUE_MAX)
              + " cannot deliver log lines; they are dropped until it can again and counted in"
              + " zrepl_logging_outlet_dropped_total: "
              + LogText.clean(why, LogText.VALUE_MAX));
    } catch (RuntimeException ignored) {
      // stderr is gone too; the counter still tells
    }
    LogOutlet first = all.get(0);
    if (first != o) {
      try {
        first.write(
            new LogEntry(
                clock.instant(),
                LogLevel.ERROR,
                "",
                "logging",
                "outlet error",
                List.of(new LogEntry.Field("outlet", o.name()), new LogEntry.Field("err", why))));
      } catch (RuntimeException ignored) {
        // the first outlet fails as well; it is counted and reported on its own lines
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
