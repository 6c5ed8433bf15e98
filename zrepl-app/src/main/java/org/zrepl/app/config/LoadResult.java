package org.zrepl.app.config;

import java.util.List;
import java.util.Objects;

/** What loading a configuration file gave: a valid config, problems in it, or no file at all. */
public sealed interface LoadResult {

  /** Every problem was absent. */
  record Valid(Config config) implements LoadResult {
    public Valid {
      Objects.requireNonNull(config, "config");
    }
  }

  /** The file was read but is not a valid configuration; all problems found, sorted. */
  record Invalid(List<Diagnostic> diagnostics) implements LoadResult {
    public Invalid {
      diagnostics = List.copyOf(diagnostics);
      if (diagnostics.isEmpty()) {
        throw new IllegalArgumentException("an invalid config needs at least one diagnostic");
      }
    }

    /** All diagnostics rendered, each followed by a newline. */
    public String render() {
      StringBuilder sb = new StringBuilder();
      for (Diagnostic d : diagnostics) {
        sb.append(d.render()).append('\n');
      }
      return sb.toString();
    }
  }

  /** The main file could not be read (missing, a directory, no permission). */
  record Unreadable(String message) implements LoadResult {
    public Unreadable {
      Objects.requireNonNull(message, "message");
    }
  }
}
