package org.zrepl.app.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem in a configuration file, at a 1-based line and column. Renders like a compiler
 * diagnostic: {@code zrepl.yml:14:9: error: message}, then the source line and a caret under the
 * column.
 */
public record Diagnostic(String file, int line, int column, String message, String sourceLine) {

  static final Comparator<Diagnostic> BY_POSITION =
      Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column);

  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(sourceLine, "sourceLine");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
    }
  }

  /** The three-line rendering; the last line ends with the caret and no newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(':').append(line).append(':').append(column);
    sb.append(": error: ").append(escaped(message)).append('\n');
    sb.append(printable(sourceLine)).append('\n');
    // Tabs in the source line are kept under the caret so that it lines up in a terminal.
    for (int i = 0; i < column - 1; i++) {
      sb.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
    }
    return sb.append('^').toString();
  }

  /** Control characters (a value may carry them) written as escapes, so each stays on its line. */
  static String escaped(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (Character.isISOControl(c) && c != '\t') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The source line with control characters shown as '?', one for one, so the caret lines up. */
  static String printable(String line) {
    StringBuilder sb = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      sb.append(Character.isISOControl(c) && c != '\t' ? '?' : c);
    }
    return sb.toString();
  }
}
