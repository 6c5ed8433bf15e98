package org.zrepl.app.abstraction;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.CursorRecord;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Reads zrepl's names back: which hold tags, bookmark names and {@code zrepl:cursors} entries are
 * abstractions, of which type and job. The endpoints write these names (EndpointNames); this is the
 * other direction, kept here so that the endpoints can call this package.
 */
final class AbstractionNames {

  /** The user property recording each target's cursor where ZFS has no bookmarks. */
  static final String CURSORS_PROPERTY = CursorRecord.PROPERTY;

  /** A job id in a name: what zrepl's names allow (no space, no {@code @#/}). */
  private static final String JOB = "([^ @#/]+)";

  private static final Pattern CURSOR = Pattern.compile("zrepl_CURSOR_G_([0-9a-f]{16})_J_" + JOB);
  private static final Pattern TENTATIVE =
      Pattern.compile("zrepl_CURSORTENTATIVE_G_([0-9a-f]{16})_J_" + JOB);
  private static final String CURSOR_V1 = "zrepl_replication_cursor";
  private static final Pattern STEP_HOLD = Pattern.compile("zrepl_STEP_J_" + JOB);
  private static final Pattern LAST_RECEIVED = Pattern.compile("zrepl_last_received_J_" + JOB);

  private AbstractionNames() {}

  /** The abstraction bookmark {@code v} of {@code fs} is, if any. */
  static Optional<Abstraction> ofBookmark(DatasetPath fs, FilesystemVersion v) {
    if (!v.isBookmark()) {
      return Optional.empty();
    }
    if (v.name().equals(CURSOR_V1)) {
      return Optional.of(
          new Abstraction(
              AbstractionType.CURSOR_V1,
              fs,
              v.name(),
              Optional.empty(),
              Optional.empty(),
              v.guid(),
              v.createTxg()));
    }
    for (AbstractionType t :
        new AbstractionType[] {AbstractionType.CURSOR_V2, AbstractionType.TENTATIVE_CURSOR}) {
      Matcher m = (t == AbstractionType.CURSOR_V2 ? CURSOR : TENTATIVE).matcher(v.name());
      if (m.matches()) {
        return Optional.of(
            new Abstraction(
                t,
                fs,
                v.name(),
                Optional.empty(),
                Optional.of(m.group(2)),
                v.guid(),
                v.createTxg()));
      }
    }
    return Optional.empty();
  }

  /** The abstraction hold {@code tag} on snapshot {@code v} of {@code fs} is, if any. */
  static Optional<Abstraction> ofHold(DatasetPath fs, FilesystemVersion v, String tag) {
    Matcher step = STEP_HOLD.matcher(tag);
    Matcher last = LAST_RECEIVED.matcher(tag);
    AbstractionType type;
    String job;
    if (step.matches()) {
      type = AbstractionType.STEP_HOLD;
      job = step.group(1);
    } else if (last.matches()) {
      type = AbstractionType.LAST_RECEIVED_HOLD;
      job = last.group(1);
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new Abstraction(
            type, fs, v.name(), Optional.of(tag), Optional.of(job), v.guid(), v.createTxg()));
  }
}
