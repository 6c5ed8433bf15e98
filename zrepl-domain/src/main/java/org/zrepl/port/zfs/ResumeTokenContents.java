package org.zrepl.port.zfs;

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
 */
public record ResumeTokenContents(
    String toName, long toGuid, OptionalLong fromGuid, boolean rawOk) {

  public ResumeTokenContents {
    Objects.requireNonNull(toName, "toName");
    Objects.requireNonNull(fromGuid, "fromGuid");
    if (toName.indexOf('@') <= 0 || toName.indexOf('@') != toName.lastIndexOf('@')) {
      throw new IllegalArgumentException("toName must be pool/fs@snap, got '" + toName + "'");
    }
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
