package org.zrepl.app.abstraction;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * One abstraction found on a filesystem.
 *
 * @param name the snapshot a hold is on, the bookmark's name, or the property entry's job id
 * @param tag the hold tag (holds only)
 * @param jobId the job id in the name ({@code <job>} or {@code <source job>_C_<client>}); empty for
 *     a v1 cursor, which names no job
 * @param guid the guid of the snapshot or bookmark (of the snapshot the entry records)
 * @param createTxg the createtxg of the snapshot or bookmark; for a property entry that of the
 *     recorded snapshot, 0 if that snapshot no longer exists
 */
public record Abstraction(
    AbstractionType type,
    DatasetPath fs,
    String name,
    Optional<String> tag,
    Optional<String> jobId,
    long guid,
    long createTxg) {

  public Abstraction {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(jobId, "jobId");
    if (type.isHold() != tag.isPresent()) {
      throw new IllegalArgumentException("tag must be present exactly for holds, got " + tag);
    }
  }

  /** {@code fs@snapshot} for a hold, {@code fs#bookmark}, or {@code fs} for a property entry. */
  public String fullPath() {
    return switch (type) {
      case STEP_HOLD, LAST_RECEIVED_HOLD -> fs + "@" + name;
      case TENTATIVE_CURSOR, CURSOR_V1, CURSOR_V2 -> fs + "#" + name;
      case CURSOR_PROPERTY -> fs.toString();
    };
  }

  /** The guid as zrepl prints it in names: 16 hex digits. */
  public String guidHex() {
    return String.format(Locale.ROOT, "%016x", guid);
  }

  /** One line, as zrepl prints it: {@code step-hold "zrepl_STEP_J_job" on pool/fs@snap}. */
  @Override
  public String toString() {
    return switch (type) {
      case STEP_HOLD, LAST_RECEIVED_HOLD -> type.word() + " \"" + tag.get() + "\" on " + fullPath();
      case TENTATIVE_CURSOR, CURSOR_V1, CURSOR_V2 -> type.word() + " " + fullPath();
      case CURSOR_PROPERTY ->
          type.word() + " \"" + name + "=" + guidHex() + "\" in " + fs + " zrepl:cursors";
    };
  }
}
