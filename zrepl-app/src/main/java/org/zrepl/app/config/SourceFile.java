package org.zrepl.app.config;

import java.util.List;
import java.util.Objects;

/** A configuration file's name as shown to the operator and its lines, for diagnostics. */
record SourceFile(String displayName, List<String> lines) {

  SourceFile {
    Objects.requireNonNull(displayName, "displayName");
    lines = List.copyOf(lines);
  }

  static SourceFile of(String displayName, String text) {
    return new SourceFile(displayName, text.lines().toList());
  }

  /** The 1-based line, or the empty string past the end of the file. */
  String line(int line) {
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
