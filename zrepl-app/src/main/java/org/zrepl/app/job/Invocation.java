package org.zrepl.app.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.app.replication.FilesystemResult;
import org.zrepl.app.replication.ReplicationReport;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;

/**
 * What one invocation of a {@link ReplicationJob} (local, push or pull) did, for the daemon's
 * metrics.
 *
 * @param replicationTime from the start of the replication run to its end
 * @param senderPruneTime how long pruning the sender took; empty if it did not run
 * @param receiverPruneTime how long pruning the receiver took; empty if it did not run
 * @param newestReplicated per filesystem replicated completely, the creation time of the newest
 *     snapshot on the receiver
 */
public record Invocation(
    ReplicationReport replication,
    Duration replicationTime,
    Optional<Duration> senderPruneTime,
    Optional<Duration> receiverPruneTime,
    Map<DatasetPath, Instant> newestReplicated) {

  public Invocation {
    Objects.requireNonNull(replication, "replication");
    Objects.requireNonNull(replicationTime, "replicationTime");
    Objects.requireNonNull(senderPruneTime, "senderPruneTime");
    Objects.requireNonNull(receiverPruneTime, "receiverPruneTime");
    newestReplicated = Map.copyOf(newestReplicated);
  }

  /**
   * zrepl's {@code zrepl_replication_filesystem_errors} for this invocation: -1 when the run failed
   * before it had the filesystems (listing or planning failed, the peer could not be reached), else
   * the number of filesystems that failed or conflicted in it (0 when all succeeded). Each
   * invocation replaces the previous value, so a successful retry brings it back to 0.
   */
  public long filesystemErrors() {
    return replication.runError().isPresent() ? -1 : replication.needingAttention().size();
  }

  /**
   * The newest snapshot's creation on the receiver, per filesystem the run replicated completely,
   * in one listing; the receiver's exceptions pass through.
   */
  static Map<DatasetPath, Instant> newestOnReceiver(Receiver receiver, ReplicationReport report) {
    List<DatasetPath> ok =
        report.results().stream()
            .filter(r -> r instanceof FilesystemResult.Ok)
            .map(FilesystemResult::filesystem)
            .toList();
    if (ok.isEmpty()) {
      return Map.of();
    }
    Map<DatasetPath, Instant> out = new HashMap<>();
    receiver
        .listVersions(ok)
        .forEach(
            (fs, versions) ->
                versions.stream()
                    .filter(FilesystemVersion::isSnapshot)
                    .map(FilesystemVersion::creation)
                    .max(Comparator.naturalOrder())
                    .ifPresent(t -> out.put(fs, t)));
    return out;
  }
}
