package org.zrepl.app.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.zrepl.domain.prune.RetentionGrid;

/**
 * {@code configcheck --format pretty}: the parsed model as an indented tree of its records, like
 * zrepl's dump of its Go structs; filters, mappings, cron specs and grids appear as written. Meant
 * for people; the layout is not a stable interface.
 */
public final class PrettyPrinter {

  private PrettyPrinter() {}

  public static String print(Config config) {
    return printValue(config);
  }

  /**
   * A part of the model: {@code configcheck --what jobs} prints the jobs, {@code logging} the
   * outlets.
   */
  public static String printValue(Object part) {
    StringBuilder sb = new StringBuilder();
    value(sb, part, 0);
    return sb.append('\n').toString().replaceAll(" +\n", "\n");
  }

  private static void value(StringBuilder sb, Object v, int depth) {
    if (v instanceof Filesystems f) {
      value(sb, f.patterns(), depth);
    } else if (v instanceof Mapping m) {
      value(sb, m.patterns(), depth);
    } else if (v instanceof CronSpec c) {
      sb.append(c.expression());
    } else if (v instanceof RetentionGrid g) {
      sb.append(g);
    } else if (v instanceof Optional<?> o) {
      if (o.isEmpty()) {
        sb.append("(none)");
      } else {
        value(sb, o.get(), depth);
      }
    } else if (v instanceof Record r) {
      sb.append(name(r.getClass()));
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        newline(sb, depth + 1).append(c.getName()).append(": ");
        value(sb, get(c, r), depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        sb.append("[]");
      }
      for (Object e : c) {
        newline(sb, depth + 1).append("- ");
        value(sb, e, depth + 1);
      }
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
      }
      m.forEach(
          (k, e) -> {
            newline(sb, depth + 1).append(k).append(": ");
            value(sb, e, depth + 1);
          });
    } else if (v instanceof Enum<?> e) {
      sb.append(e instanceof ConfigWord w ? w.word() : e.name().toLowerCase(java.util.Locale.ROOT));
    } else if (v instanceof java.time.Duration d) {
      sb.append(ConfigRenderer.go(d));
    } else {
      sb.append(v);
    }
  }

  private static StringBuilder newline(StringBuilder sb, int depth) {
    return sb.append('\n').append("  ".repeat(depth));
  }

  private static String name(Class<?> c) {
    return c.getEnclosingClass() == null
        ? c.getSimpleName()
        : c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
  }

  private static Object get(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
    }
  }
}
