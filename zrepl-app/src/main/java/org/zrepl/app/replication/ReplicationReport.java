package org.zrepl.app.replication;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.zrepl.port.endpoint.Guarantee;

/**
 * The outcome of one replication run.
 *
 * @param results one per filesystem, sorted by path
 * @param guaranteesOff what the endpoints' ZFS cannot guarantee (see {@link Guarantee})
 * @param runError set when the run could not even list or plan (then {@code results} is empty)
 * @param started when the run started
 * @param finished when it finished
 */
public record ReplicationReport(
    List<FilesystemResult> results,
    Set<Guarantee> guaranteesOff,
    Optional<String> runError,
    Instant started,
    Instant finished) {

  public ReplicationReport {
    results = List.copyOf(results);
    guaranteesOff = Set.copyOf(guaranteesOff);
    Objects.requireNonNull(runError, "runError");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
  }

  /** The results with a conflict or an error. */
  public List<FilesystemResult> needingAttention() {
    return results.stream().filter(FilesystemResult::needsAttention).toList();
  }

  /** No run error, no conflict, no failed filesystem. */
  public boolean isSuccess() {
    return runError.isEmpty() && needingAttention().isEmpty();
  }

  /** The result of one filesystem. */
  public Optional<FilesystemResult> result(org.zrepl.domain.dataset.DatasetPath fs) {
    return results.stream().filter(r -> r.filesystem().equals(fs)).findFirst();
  }

  /** Several lines: the run error or one line per filesystem, then the guarantees that are off. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    runError.ifPresent(e -> b.append("replication failed: ").append(e).append('\n'));
    results.forEach(r -> b.append(r.describe()).append('\n'));
    if (!guaranteesOff.isEmpty()) {
      b.append("guarantees off (not supported by the ZFS): ")
          .append(guaranteesOff.stream().sorted().map(Enum::name).collect(Collectors.joining(", ")))
          .append('\n');
    }
    return b.toString();
  }
}
