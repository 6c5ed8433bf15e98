package org.zrepl.app.endpoint;

import java.util.List;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.VersionMismatchException;

/**
 * How the receiver matches a step's sender versions with its own, by guid: the base a step starts
 * from, and the snapshot that arrived.
 */
final class ReceivedVersions {

  private ReceivedVersions() {}

  /** The receiver's snapshot with the guid of the step's {@code from}. */
  static Optional<FilesystemVersion> base(
      DatasetPath target, Step step, List<FilesystemVersion> before) {
    if (step.from().isEmpty()) {
      return Optional.empty();
    }
    FilesystemVersion from = step.from().get();
    return Optional.of(
        before.stream()
            .filter(v -> v.isSnapshot() && v.guid() == from.guid())
            .findFirst()
            .orElseThrow(
                () ->
                    new VersionMismatchException(
                        "receiver "
                            + target
                            + " has no snapshot with the guid "
                            + from.guidString()
                            + " of the step's base "
                            + from.relativeName())));
  }

  /** A resumed step is only the caller's guess: its base is held if the receiver has it. */
  static Optional<FilesystemVersion> resumedBase(Step step, List<FilesystemVersion> before) {
    return step.from()
        .flatMap(
            from ->
                before.stream().filter(v -> v.isSnapshot() && v.guid() == from.guid()).findFirst());
  }

  /** After a resumed receive: what arrived is the newest snapshot. */
  static FilesystemVersion newestSnapshot(DatasetPath target, List<FilesystemVersion> after) {
    return after.stream()
        .filter(FilesystemVersion::isSnapshot)
        .reduce((a, b) -> b)
        .orElseThrow(
            () ->
                new VersionMismatchException(
                    "after a resumed receive, " + target + " has no snapshot"));
  }

  /** The received {@code to} must be there with the sender's guid. */
  static FilesystemVersion verify(DatasetPath target, Step step, List<FilesystemVersion> after) {
    FilesystemVersion to = step.to();
    for (FilesystemVersion v : after) {
      if (v.isSnapshot() && v.name().equals(to.name())) {
        if (v.guid() != to.guid()) {
          throw new VersionMismatchException(
              "received "
                  + target
                  + "@"
                  + v.name()
                  + " has guid "
                  + v.guidString()
                  + ", the sender's has "
                  + to.guidString());
        }
        return v;
      }
    }
    return after.stream()
        .filter(v -> v.isSnapshot() && v.guid() == to.guid())
        .findFirst()
        .orElseThrow(
            () ->
                new VersionMismatchException(
                    "after receiving, "
                        + target
                        + " has no snapshot with the guid "
                        + to.guidString()
                        + " of "
                        + to.relativeName()));
  }
}
