package org.zrepl.app.logging;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The three formats of zrepl's outlets, each one line per entry:
 *
 * <pre>
 * human:  2026-11-25T10:00:00Z [INFO][prod][snapshot]: took snapshots count=3
 * logfmt: time=2026-11-25T10:00:00Z level=info job=prod subsystem=snapshot msg="took snapshots" count=3
 * json:   {"time":"2026-11-25T10:00:00Z","level":"info","job":"prod","subsystem":"snapshot","msg":"took snapshots","count":"3"}
 * </pre>
 *
 * Times are whole seconds in the outlet's zone (UTC prints {@code Z}); an empty job or subsystem is
 * left out.
 */
public enum LogFormat {
  HUMAN {
    @Override
    String format(LogEntry e, boolean withTime, ZoneId zone) {
      StringBuilder b = new StringBuilder();
      if (withTime) {
        b.append(time(e, zone)).append(' ');
      }
      b.append('[').append(e.level().name()).append(']');
      if (!e.job().isEmpty()) {
        b.append('[').append(e.job()).append(']');
      }
      if (!e.subsystem().isEmpty()) {
        b.append('[').append(e.subsystem()).append(']');
      }
      b.append(": ").append(e.message());
      for (LogEntry.Field f : e.fields()) {
        b.append(' ').append(f.key()).append('=').append(Logfmt.value(f.value()));
      }
      return b.toString();
    }
  },
  LOGFMT {
    @Override
    String format(LogEntry e, boolean withTime, ZoneId zone) {
      StringBuilder b = new StringBuilder();
      if (withTime) {
        b.append("time=").append(time(e, zone)).append(' ');
      }
      b.append("level=").append(e.level().word());
      if (!e.job().isEmpty()) {
        b.append(" job=").append(Logfmt.value(e.job()));
      }
      if (!e.subsystem().isEmpty()) {
        b.append(" subsystem=").append(Logfmt.value(e.subsystem()));
      }
      b.append(" msg=").append(Logfmt.value(e.message()));
      for (LogEntry.Field f : e.fields()) {
        b.append(' ').append(Logfmt.key(f.key())).append('=').append(Logfmt.value(f.value()));
      }
      return b.toString();
    }
  },
  JSON {
    @Override
    String format(LogEntry e, boolean withTime, ZoneId zone) {
      StringBuilder b = new StringBuilder("{");
      if (withTime) {
        Json.member(b, "time", time(e, zone));
      }
      Json.member(b, "level", e.level().word());
      if (!e.job().isEmpty()) {
        Json.member(b, "job", e.job());
      }
      if (!e.subsystem().isEmpty()) {
        Json.member(b, "subsystem", e.subsystem());
      }
      Json.member(b, "msg", e.message());
      for (LogEntry.Field f : e.fields()) {
        Json.member(b, f.key(), f.value());
      }
      return b.append('}').toString();
    }
  };

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** The entry as one line (no newline). */
  abstract String format(LogEntry e, boolean withTime, ZoneId zone);

  public String format(LogEntry e) {
    return format(e, true, java.time.ZoneOffset.UTC);
  }

  private static String time(LogEntry e, ZoneId zone) {
    return TIME.format(e.time().truncatedTo(ChronoUnit.SECONDS).atZone(zone));
  }
}
