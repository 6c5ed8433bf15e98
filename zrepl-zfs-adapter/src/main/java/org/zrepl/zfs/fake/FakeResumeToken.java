package org.zrepl.zfs.fake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.zrepl.zfs.fake.FakeModel.PartialReceive;

/**
 * The fake's {@code receive_resume_token}. Like ZFS's, it names the snapshot being sent (guids and
 * full name), how many bytes the receiver already has and whether the interrupted stream was raw
 * (the rawok field: here, whether its payload so far carries the raw-encryption marker); unlike
 * ZFS's, it is readable base64.
 */
record FakeResumeToken(long toGuid, long fromGuid, String toName, long bytes, boolean rawOk) {

  FakeResumeToken(long toGuid, long fromGuid, String toName, long bytes) {
    this(toGuid, fromGuid, toName, bytes, false);
  }

  private static final String PREFIX = "1-fake-";

  static FakeResumeToken of(PartialReceive p) {
    return new FakeResumeToken(
        p.header().toGuid(),
        p.header().fromGuid(),
        p.header().toName(),
        p.payloadSoFar().length,
        contains(p.payloadSoFar(), FakeStreamFormat.RAW_CIPHER.getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  String encode() {
    String text =
        "toguid="
            + Long.toUnsignedString(toGuid)
            + "\nfromguid="
            + Long.toUnsignedString(fromGuid)
            + "\ntoname="
            + toName
            + "\nbytes="
            + bytes
            + (rawOk ? "\nrawok=1" : "");
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Empty if the token was not made by the fake or is damaged. */
  static Optional<FakeResumeToken> decode(String token) {
    if (!token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      String text =
          new String(
              Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      String[] lines = text.split("\n", -1);
      if (lines.length != 4 && lines.length != 5) {
        return Optional.empty();
      }
      return Optional.of(
          new FakeResumeToken(
              Long.parseUnsignedLong(value(lines[0], "toguid")),
              Long.parseUnsignedLong(value(lines[1], "fromguid")),
              value(lines[2], "toname"),
              Long.parseLong(value(lines[3], "bytes")),
              lines.length == 5 && value(lines[4], "rawok").equals("1")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String value(String line, String key) {
    if (!line.startsWith(key + "=")) {
      throw new IllegalArgumentException("expected " + key);
    }
    return line.substring(key.length() + 1);
  }
}
