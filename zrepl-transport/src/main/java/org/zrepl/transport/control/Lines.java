package org.zrepl.transport.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.zrepl.port.transport.control.ControlException;

/** Reading one newline-terminated line with a bound checked before it is exceeded. */
final class Lines {

  private Lines() {}

  /** The line without its newline; throws if longer than {@code max} bytes or cut short. */
  static String read(InputStream in, int max, String what) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new ControlException(
            buf.size() == 0
                ? "connection closed before the " + what
                : "connection closed in the middle of the "
                    + what
                    + " after "
                    + buf.size()
                    + " bytes");
      }
      if (b == '\n') {
        return buf.toString(StandardCharsets.UTF_8);
      }
      if (buf.size() == max) {
        throw new ControlException(what + " longer than the limit of " + max + " bytes");
      }
      buf.write(b);
    }
  }
}
