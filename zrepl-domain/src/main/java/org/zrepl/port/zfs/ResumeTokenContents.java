package org.zrepl.port.zfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a {@code receive_resume_token} says it continues: the snapshot (the token's toname and
 * toguid fields) and, for an incremental stream, the guid of its base. A sender decodes a token a
 * client hands it before it runs {@code zfs send -t}, so that a token cannot name a filesystem it
 * does not serve.
 *
 * @param toName the full snapshot name, {@code pool/fs@snap}
 * @param rawOk the token continues a raw send (the token's rawok field): {@code zfs send -t}
 *     resumes with the token's own flags, so a token without it sends plaintext of an encrypted
 *     filesystem
 * @param fields every field of the token as ZFS prints it (the snapshot name, its guid, the
 *     compressok and embedok flags, ... each under the key ZFS prints, with its printed value), in
 *     the order printed; what {@code zrepl test decoderesumetoken} shows
 */
public record ResumeTokenContents(
    String toName, long toGuid, OptionalLong fromGuid, boolean rawOk, Map<String, String> fields) {

  public ResumeTokenContents {
    Objects.requireNonNull(toName, "toName");
    Objects.requireNonNull(fromGuid, "fromGuid");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    if (toName.indexOf('@') <= 0 || toName.indexOf('@') != toName.lastIndexOf('@')) {
      throw new IllegalArgumentException("toName must be pool/fs@snap, got '" + toName + "'");
    }
  }

  /** A token whose fields are only the ones named by the other components. */
  public ResumeTokenContents(String toName, long toGuid, OptionalLong fromGuid, boolean rawOk) {
    this(toName, toGuid, fromGuid, rawOk, knownFields(toName, toGuid, fromGuid, rawOk));
  }

  private static Map<String, String> knownFields(
      String toName, long toGuid, OptionalLong fromGuid, boolean rawOk) {
    Map<String, String> m = new LinkedHashMap<>();
    fromGuid.ifPresent(g -> m.put("fromguid", "0x" + Long.toHexString(g)));
    m.put("toguid", "0x" + Long.toHexString(toGuid));
    m.put("toname", toName);
    if (rawOk) {
      m.put("rawok", "1");
    }
    return m;
  }

  /** The filesystem part of {@link #toName()}. */
  public String filesystem() {
    return toName.substring(0, toName.indexOf('@'));
  }

  /** The snapshot part of {@link #toName()}, without {@code @}. */
  public String snapshot() {
    return toName.substring(toName.indexOf('@') + 1);
  }
}
