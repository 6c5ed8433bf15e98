package org.zrepl.app.abstraction;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Which abstractions to look at ({@code --fs}, {@code --job}, {@code --type}); every field must
 * match.
 *
 * @param fs one filesystem (exactly it, not its children), or empty
 * @param filter zrepl's {@code <pattern>:<ok|!>} filter over filesystems, or empty; at most one of
 *     {@code fs} and {@code filter}
 * @param jobId only this job id (a v1 cursor, which names no job, always matches, as in zrepl)
 * @param types only these types; never empty
 */
public record AbstractionQuery(
    Optional<DatasetPath> fs,
    Optional<DatasetFilter> filter,
    Optional<String> jobId,
    Set<AbstractionType> types) {

  public AbstractionQuery {
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(jobId, "jobId");
    if (fs.isPresent() && filter.isPresent()) {
      throw new IllegalArgumentException("fs and filter are exclusive, got both");
    }
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types must not be empty");
    }
    types = Set.copyOf(types);
  }

  /** Everything on every pool. */
  public static AbstractionQuery all() {
    return new AbstractionQuery(
        Optional.empty(), Optional.empty(), Optional.empty(), EnumSet.allOf(AbstractionType.class));
  }

  /** Everything of job id {@code jobId} on {@code fs}. */
  public static AbstractionQuery of(DatasetPath fs, String jobId) {
    return new AbstractionQuery(
        Optional.of(fs),
        Optional.empty(),
        Optional.of(jobId),
        EnumSet.allOf(AbstractionType.class));
  }

  /** This query with every type (to decide staleness, which needs the cursors). */
  AbstractionQuery allTypes() {
    return new AbstractionQuery(fs, filter, jobId, EnumSet.allOf(AbstractionType.class));
  }

  boolean matches(Abstraction a) {
    return types.contains(a.type())
        && (jobId.isEmpty() || a.jobId().isEmpty() || a.jobId().equals(jobId));
  }
}
