package org.zrepl.zfs.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.ZfsException;

/**
 * Reads what {@code zfs send -nvt TOKEN} prints about a resume token:
 *
 * <pre>
 * resume token contents:
 * nvlist version: 0
 *         fromguid = 0x595d9f81aa9dddab
 *         object = 0x1
 *         offset = 0x0
 *         bytes = 0x0
 *         toguid = 0x854f02a2dd32cf0d
 *         toname = pool1/test@b
 *         compressok = 1
 *         rawok = 1
 * </pre>
 *
 * followed by the dry run's own lines (or, if the snapshot is gone, an error). The same command
 * says {@code resume token is corrupt} for a damaged token.
 */
final class ResumeTokenParser {

  private static final Pattern FIELD = Pattern.compile("(?m)^\\t(\\w+) = (.*)$");

  private ResumeTokenParser() {}

  static ResumeTokenContents parse(CommandResult r) {
    String text = r.stdout() + "\n" + r.stderr();
    List<String> argv = r.argv();
    if (!text.contains("resume token contents:")) {
      throw new ZfsException(
          argv,
          r.exitCode(),
          (text.contains("resume token is corrupt")
                  ? "resume token is corrupt: "
                  : "cannot decode resume token: ")
              + r.stderr().strip());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(text);
    while (m.find()) {
      fields.putIfAbsent(m.group(1), m.group(2).strip());
    }
    String toName = fields.get("toname");
    String toGuid = fields.get("toguid");
    if (toName == null || toGuid == null) {
      throw new ZfsException(
          argv, r.exitCode(), "resume token contents lack toname or toguid: " + fields.keySet());
    }
    try {
      String from = fields.get("fromguid");
      return new ResumeTokenContents(
          toName,
          guid(toGuid),
          from == null ? OptionalLong.empty() : OptionalLong.of(guid(from)),
          fields.containsKey("rawok"),
          fields);
    } catch (IllegalArgumentException e) {
      throw new ZfsException(argv, r.exitCode(), "unreadable resume token contents: " + e, e);
    }
  }

  /** {@code 0x854f02a2dd32cf0d} (nvlist_print's form) or decimal. */
  private static long guid(String v) {
    return v.startsWith("0x")
        ? Long.parseUnsignedLong(v.substring(2), 16)
        : Long.parseUnsignedLong(v);
  }
}
