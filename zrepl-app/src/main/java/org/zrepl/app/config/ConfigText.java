package org.zrepl.app.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks on a configuration file's text before it is parsed as YAML, each reported at a position:
 * the bytes must be UTF-8, and no line may be longer than {@link #MAX_LINE} characters nor the file
 * larger than {@link #MAX_CHARS} (the YAML parser's time grows with the square of a line's length;
 * a 1 MiB line takes it seconds, and no configuration needs a line a fraction that long).
 */
final class ConfigText {

  static final int MAX_LINE = 16 * 1024;
  static final int MAX_CHARS = 4 * 1024 * 1024;

  private ConfigText() {}

  /**
   * Null if {@code bytes} are UTF-8; otherwise the configuration's one problem, at the first byte
   * that is not (the line shown with that byte and any later ones replaced).
   */
  static LoadResult.Invalid notUtf8(String displayName, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      return null;
    }
    int offset = in.position();
    String before = out.flip().toString();
    int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
    int column = before.length() - before.lastIndexOf('\n');
    SourceFile file = SourceFile.of(displayName, new String(bytes, StandardCharsets.UTF_8));
    Problems p = Problems.collecting(file);
    p.at(
        line,
        column,
        String.format(
            "the file is not UTF-8 text: byte 0x%02X (byte offset %d) is not part of a UTF-8"
                + " character; save the configuration as UTF-8",
            bytes[offset] & 0xff, offset));
    return new LoadResult.Invalid(p.all());
  }

  /** Reports lines longer than {@link #MAX_LINE} and text beyond {@link #MAX_CHARS}. */
  static void checkSize(String text, Problems p) {
    List<String> lines = text.lines().toList();
    long chars = 0;
    for (int i = 0; i < lines.size(); i++) {
      int length = lines.get(i).length();
      if (length > MAX_LINE) {
        p.at(
            i + 1,
            MAX_LINE + 1,
            "line "
                + (i + 1)
                + " is "
                + length
                + " characters long, more than the "
                + MAX_LINE
                + " a configuration line may have");
      }
      chars += length + 1;
      if (chars > MAX_CHARS) {
        p.at(
            i + 1,
            1,
            "the configuration is larger than "
                + MAX_CHARS
                + " characters; it is not read further");
        return;
      }
    }
  }

  /** The 1-based line and column of the code point at {@code index} (as SnakeYAML counts). */
  static int[] lineAndColumn(String text, int index) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int cp = 0; cp < index && i < text.length(); cp++) {
      char c = text.charAt(i);
      i += Character.charCount(text.codePointAt(i));
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
