package org.zrepl.app.logging;

/** Quoting for logfmt: values with spaces, quotes, '=' or control characters are quoted. */
final class Logfmt {

  private Logfmt() {}

  static String value(String v) {
    if (v.isEmpty()) {
      return "\"\"";
    }
    boolean plain = true;
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
    }
    return plain ? v : Json.quote(v);
  }

  /** Keys cannot be quoted in logfmt: unsafe characters become '_'. */
  static String key(String k) {
    StringBuilder b = new StringBuilder(k.length());
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      b.append(c > ' ' && c != '"' && c != '=' && c != 0x7f ? c : '_');
    }
    return b.toString();
  }
}
