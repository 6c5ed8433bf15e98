package org.zrepl.zfs.cli;

import java.util.List;
import java.util.OptionalLong;
import org.zrepl.port.zfs.ZfsException;

/**
 * Reads the estimate from {@code zfs send -nvP} output: the line {@code size<TAB>271328} (OpenZFS
 * prints one line per stream first, e.g. {@code
 * incremental<TAB>pool/fs@a<TAB>pool/fs@b<TAB>271328}, and for {@code -t} the token's contents).
 */
final class SendSizeParser {

  private SendSizeParser() {}

  /** The estimated size; a ZfsException naming the command if no size line is there. */
  static OptionalLong parse(List<String> argv, String stdout) {
    for (String line : stdout.split("\n", -1)) {
      String[] f = line.strip().split("\t", -1);
      if (f.length == 2 && f[0].equals("size")) {
        try {
          long n = Long.parseLong(f[1].strip());
          if (n >= 0) {
            return OptionalLong.of(n);
          }
        } catch (NumberFormatException e) {
          throw new ZfsException(argv, 0, "unparsable size line '" + line + "' in: " + stdout, e);
        }
      }
    }
    throw new ZfsException(argv, 0, "no 'size' line in the dry-run output: " + stdout);
  }
}
