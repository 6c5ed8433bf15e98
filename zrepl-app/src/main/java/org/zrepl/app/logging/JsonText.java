package org.zrepl.app.logging;

/** Minimal JSON string writing for log lines (no library on the logging path). */
final class JsonText {

  private JsonText() {}

  static void member(StringBuilder b, String key, String value, int budget) {
    if (b.length() > 1) {
      b.append(',');
    }
    quote(b, key, KEY_MAX);
    b.append(':');
    quote(b, value, budget);
  }

  /** {@code s} as a JSON string, escaped and bounded as {@link LogText} says. */
  static void quote(StringBuilder b, String s, int budget) {
    b.append('"');
    LogText.append(b, s, budget, true);
    b.append('"');
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(b, s, LogText.VALUE_MAX);
    return b.toString();
  }

  /** Keys come from code; a bound all the same. */
  static final int KEY_MAX = 128;
}
