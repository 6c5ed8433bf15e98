package org.zrepl.app.logging;

/** Minimal JSON string writing for log lines (no library on the logging path). */
final class Json {

  private Json() {}

  static void member(StringBuilder b, String key, String value) {
    if (b.length() > 1) {
      b.append(',');
    }
    b.append(quote(key)).append(':').append(quote(value));
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
