package org.zrepl.app.prune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.zrepl.app.config.Job;
import org.zrepl.app.endpoint.EndpointNames;
import org.zrepl.app.endpoint.SessionCursors;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.PruneContext;
import org.zrepl.domain.prune.ReplicationCursor;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.zfs.Zfs;

/**
 * A {@code source} job pruning its own side by its {@code keep} rules while it serves, so that its
 * pool does not fill up while the puller is away, without destroying what a puller still needs:
 *
 * <ul>
 *   <li>the snapshot at the replication cursor is kept, whatever the rules say. The cursor is the
 *       job's {@code zrepl_CURSOR_G_<guid>_J_<job>} bookmark where the ZFS has bookmarks, or the
 *       last step a puller completed in this daemon's session ({@link SessionCursors}), whichever
 *       is newer; it also feeds {@code not_replicated};
 *   <li>the snapshots of steps running now are kept, and a step cannot start while a destroy runs;
 *       where the ZFS has holds, a snapshot carrying the job's step hold is not destroyed either
 *       (reported, with the reason);
 *   <li>where the ZFS has no bookmarks (zfs-fuse) and no puller completed a step since the daemon
 *       started, the source does not know the puller's base and keeps every snapshot of that
 *       filesystem (all are protected).
 * </ul>
 */
public final class SourcePruning {

  private SourcePruning() {}

  /** The daemon's pruning of {@code job}, with what its serving side saw this session. */
  public static PruneRun of(Job.Source job, Zfs zfs, SessionCursors session) {
    boolean bookmarks = zfs.capabilities().bookmarks();
    Optional<String> stepHold =
        zfs.capabilities().holds()
            ? Optional.of(EndpointNames.forJob(job.name()).stepHold())
            : Optional.empty();
    return new PruneRun(
        target(job, bookmarks, session, TargetCursors.Lookup.of(zfs)),
        guarded(zfs, PruneEndpoint.of(zfs), session, stepHold));
  }

  /**
   * {@code zrepl test prune} of a source, offline: the session is unknown, so every selected
   * filesystem is planned by the rules and the cursor bookmarks alone.
   */
  public static PruneTarget offline(Job.Source job) {
    return target(job, true, new SessionCursors(), TargetCursors.Lookup.none());
  }

  /**
   * The job's cursor is the newest of its pullers' (each has its own, {@code
   * zrepl_CURSOR_G_<guid>_J_<job>_C_<client>}; a cursor of the job's bare name is one zrepl and
   * earlier versions shared between all pullers) and of this session's. Every puller's cursor is a
   * target's: its snapshot is protected where it is the base (recorded, or this session's), and the
   * oldest is {@code not_replicated}'s with {@code targets: all}. Without {@code bookmarks}, a
   * filesystem of which no puller is known keeps all its snapshots (they are all protected).
   */
  private static PruneTarget target(
      Job.Source job,
      boolean bookmarks,
      SessionCursors session,
      TargetCursors.Lookup recordedCursors) {
    EndpointNames names = EndpointNames.forJob(job.name());
    PruneContexts contexts =
        (fs, versions) -> {
          Map<String, Long> recorded = recordedCursors.recorded(fs, versions);
          Map<String, FilesystemVersion> sessionCursors = session.replicatedByClient(fs);
          List<FilesystemVersion> known = new ArrayList<>(sessionCursors.values());
          for (FilesystemVersion v : versions) {
            boolean ownBookmark =
                v.isBookmark()
                    && EndpointNames.anyCursor(v.name())
                        .filter(c -> names.ownsJobId(c.getKey()))
                        .isPresent();
            boolean ownRecorded =
                v.isSnapshot()
                    && recorded.entrySet().stream()
                        .anyMatch(e -> names.ownsJobId(e.getKey()) && e.getValue() == v.guid());
            if (ownBookmark || ownRecorded) {
              known.add(v);
            }
          }
          Optional<ReplicationCursor> cursor =
              known.stream()
                  .max(Comparator.comparingLong(FilesystemVersion::createTxg))
                  .map(v -> new ReplicationCursor(v.guid(), v.createTxg()));
          Set<Long> guarded = new HashSet<>(session.inUse(fs));
          cursor.ifPresent(c -> guarded.add(c.guid()));
          if (!bookmarks) {
            // each puller's base, which on a ZFS with bookmarks its cursor bookmark stands in for
            sessionCursors.values().forEach(v -> guarded.add(v.guid()));
          }
          guarded.addAll(recorded.values());
          if (!bookmarks && known.isEmpty()) {
            versions.stream()
                .filter(FilesystemVersion::isSnapshot)
                .forEach(v -> guarded.add(v.guid()));
          }
          PruneContext own = new PruneContext(cursor, guarded);
          PruneContext every = PruneContexts.everyTarget(own, versions, recorded);
          return every.withEveryTargetCursor(
              oldest(every.everyTargetCursor(), sessionCursors.values()));
        };
    DatasetFilter filter = job.filesystems().filter();
    return new PruneTarget(job.name(), PruneSide.SENDER, filter::matches, job.keep(), contexts);
  }

  private static Optional<ReplicationCursor> oldest(
      Optional<ReplicationCursor> cursor, Collection<FilesystemVersion> more) {
    if (cursor.isEmpty()) {
      return cursor;
    }
    return Stream.concat(
            cursor.stream(), more.stream().map(v -> new ReplicationCursor(v.guid(), v.createTxg())))
        .min(Comparator.comparingLong(ReplicationCursor::createTxg));
  }

  /**
   * Destroys only while no step can start, and never a snapshot a running step uses, nor one that
   * carries the job's step hold (left by a step of an earlier session, say): such a snapshot is
   * reported as not destroyed, with the reason.
   */
  private static PruneEndpoint guarded(
      Zfs pool, PruneEndpoint zfs, SessionCursors session, Optional<String> stepHold) {
    return new PruneEndpoint() {
      @Override
      public List<DatasetPath> filesystems() {
        return zfs.filesystems();
      }

      @Override
      public Map<DatasetPath, List<FilesystemVersion>> listVersions(
          Collection<DatasetPath> filesystems) {
        return zfs.listVersions(filesystems);
      }

      @Override
      public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
        session.whileNotSending(
            () -> {
              Set<Long> inUse = session.inUse(filesystem);
              for (FilesystemVersion s : snapshots) {
                if (inUse.contains(s.guid())) {
                  throw new EndpointException(
                      "a puller's step is using " + filesystem + s.relativeName() + " now", true);
                }
                if (stepHold.isPresent()
                    && pool.holds(filesystem, s.name()).stream()
                        .anyMatch(
                            h ->
                                h.equals(stepHold.get())
                                    || h.startsWith(
                                        stepHold.get() + EndpointNames.CLIENT_SEPARATOR))) {
                  throw new EndpointException(
                      filesystem
                          + s.relativeName()
                          + " carries the step hold "
                          + stepHold.get()
                          + " of a puller's step",
                      true);
                }
              }
              zfs.destroy(filesystem, snapshots);
            });
      }
    };
  }
}
