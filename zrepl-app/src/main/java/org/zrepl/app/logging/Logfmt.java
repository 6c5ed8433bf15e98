package org.zrepl.app.logging;

/**
 * Quoting for logfmt: values with spaces, quotes, '=', backslashes or characters {@link LogText}
 * escapes are quoted (JSON string syntax, as go-logfmt writes them).
 */
final class Logfmt {

  private Logfmt() {}

  static String value(String v) {
    StringBuilder b = new StringBuilder();
    value(b, v, LogText.VALUE_MAX);
    return b.toString();
  }

  static void value(StringBuilder b, String v, int budget) {
    if (v.isEmpty()) {
      b.append("\"\"");
      return;
    }
    boolean plain = v.length() <= budget;
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain =
          c > ' '
              && c != '"'
              && c != '='
              && c != '\\'
              && !LogText.unsafe(c)
              && !Character.isSurrogate(c);
    }
    if (plain) {
      b.append(v);
    } else {
      JsonText.quote(b, v, budget);
    }
  }

  /** Keys cannot be quoted in logfmt: unsafe characters become '_'. */
  static String key(String k) {
    StringBuilder b = new StringBuilder(Math.min(k.length(), JsonText.KEY_MAX));
    for (int i = 0; i < k.length() && i < JsonText.KEY_MAX; i++) {
      char c = k.charAt(i);
      b.append(
          c > ' ' && c != '"' && c != '=' && !LogText.unsafe(c) && !Character.isSurrogate(c)
              ? c
              : '_');
    }
    return b.toString();
  }
}
