package org.zrepl.app.logging;

/**
 * Escaping and bounding of logged values, shared by the three formats. Every value that reaches a
 * log line (message, job, subsystem, field values, error texts, stack trace lines) goes through
 * here, so that nothing logged can start a new line or rewrite the terminal, and nothing logged can
 * make a line arbitrarily long:
 *
 * <ul>
 *   <li>C0 controls (including newline, CR, tab, NUL, ESC), DEL, C1 controls (including NEL
 *       U+0085), the Unicode line and paragraph separators U+2028/U+2029, the bidirectional
 *       overrides and isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates are written as
 *       escapes: {@code \n}, {@code \r}, {@code \t}, else {@code \\u00XX}-style;
 *   <li>a value whose escaped form exceeds its budget ({@link #VALUE_MAX} characters unless the
 *       line needs less) is cut there and ends with the marker {@code ...[cut N chars]}, N the
 *       characters of the original value left out.
 * </ul>
 */
final class LogText {

  /** Escaped characters per value, before the cut marker. */
  static final int VALUE_MAX = 4096;

  /**
   * A line's budget: when the values of an entry add up to more, each is cut shorter (see {@link
   * LogFormat}); keys, brackets and the marker come on top.
   */
  static final int LINE_MAX = 16384;

  /** The stack trace's budget (indented lines in {@code human}, field {@code stack} otherwise). */
  static final int STACK_MAX = 16384;

  private LogText() {}

  /**
   * Appends {@code s} escaped, at most {@code budget} escaped characters of it, then the cut marker
   * if any was left out. With {@code json}, {@code "} and {@code \} are escaped too (for quoted
   * values); without, they are kept (unquoted human text).
   */
  static void append(StringBuilder b, String s, int budget, boolean json) {
    int used = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String esc = escape(s, i, json);
      int width = esc == null ? 1 : esc.length();
      if (used + width > budget) {
        b.append("...[cut ").append(s.length() - i).append(" chars]");
        return;
      }
      if (esc == null) {
        b.append(c);
      } else {
        b.append(esc);
      }
      used += width;
      if (esc == null && Character.isHighSurrogate(c) && i + 1 < s.length()) {
        b.append(s.charAt(++i)); // the low half of a valid pair
        used++;
      }
    }
  }

  /** {@code s} escaped and bounded by {@code budget}, as {@link #append} writes it. */
  static String clean(String s, int budget) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), budget) + 16);
    append(b, s, budget, false);
    return b.toString();
  }

  /** Whether {@code c} must not appear raw in a log line. */
  static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /** The escape for the character at {@code i}, or null to write it as it is. */
  private static String escape(String s, int i, boolean json) {
    char c = s.charAt(i);
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '"':
        return json ? "\\\"" : null;
      case '\\':
        return json ? "\\\\" : null;
      default:
        break;
    }
    if (unsafe(c) || loneSurrogate(s, i)) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }

  private static boolean loneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
