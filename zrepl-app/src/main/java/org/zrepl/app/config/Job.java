package org.zrepl.app.config;

import java.util.List;
import java.util.Objects;
import org.zrepl.app.config.Options.ConflictResolution;
import org.zrepl.app.config.Options.Recv;
import org.zrepl.app.config.Options.Replication;
import org.zrepl.app.config.Options.Send;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;

/**
 * One entry of {@code jobs}. The name is unique, usable as a ZFS dataset name component, and does
 * not start with {@code _} (reserved for zrepl's internal jobs).
 */
public sealed interface Job {

  String name();

  /** The word in {@code type:}. */
  String type();

  /**
   * The longest job name: its hold tag {@code zrepl_last_received_J_<name>} must fit ZFS's 255
   * characters.
   */
  int MAX_NAME_LENGTH = 255 - "zrepl_last_received_J_".length();

  /** Throws IllegalArgumentException if {@code name} cannot be a job name. */
  static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "job name of "
              + name.length()
              + " characters is too long: at most "
              + MAX_NAME_LENGTH
              + " fit in the hold and bookmark names the job's endpoints use");
    }
    if (name.startsWith("_")) {
      throw new IllegalArgumentException(
          "job name '" + name + "' must not start with '_' (reserved for internal jobs)");
    }
    try {
      DatasetPath.checkComponent(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "job name '" + name + "' is not usable as a ZFS dataset name component", e);
    }
  }

  /** {@code keep_sender} and {@code keep_receiver} of an active job. */
  record Pruning(List<KeepRule> keepSender, List<KeepRule> keepReceiver) {
    public Pruning {
      keepSender = List.copyOf(keepSender);
      keepReceiver = List.copyOf(keepReceiver);
    }
  }

  /** Snapshots and prunes locally; no replication. */
  record Snap(String name, Filesystems filesystems, Snapshotting snapshotting, List<KeepRule> keep)
      implements Job {
    public Snap {
      checkName(name);
      Objects.requireNonNull(filesystems, "filesystems");
      Objects.requireNonNull(snapshotting, "snapshotting");
      keep = List.copyOf(keep);
    }

    @Override
    public String type() {
      return "snap";
    }
  }

  /** Snapshots {@code filesystems} and pushes them to a sink; prunes both sides. */
  record Push(
      String name,
      Connect connect,
      Filesystems filesystems,
      Snapshotting snapshotting,
      Pruning pruning,
      Send send,
      Replication replication,
      ConflictResolution conflictResolution)
      implements Job {
    public Push {
      checkName(name);
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(filesystems, "filesystems");
      Objects.requireNonNull(snapshotting, "snapshotting");
      Objects.requireNonNull(pruning, "pruning");
      Objects.requireNonNull(send, "send");
      Objects.requireNonNull(replication, "replication");
      Objects.requireNonNull(conflictResolution, "conflictResolution");
    }

    @Override
    public String type() {
      return "push";
    }
  }

  /** Receives what push jobs send, below {@code root_fs/CLIENT_IDENTITY} or via a mapping. */
  record Sink(String name, Serve serve, Target target, Recv recv) implements Job {
    public Sink {
      checkName(name);
      Objects.requireNonNull(serve, "serve");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(recv, "recv");
    }

    @Override
    public String type() {
      return "sink";
    }
  }

  /** Pulls from a source job every {@code interval}; prunes both sides. */
  record Pull(
      String name,
      Connect connect,
      Target target,
      Interval interval,
      Pruning pruning,
      Recv recv,
      Replication replication,
      ConflictResolution conflictResolution)
      implements Job {
    public Pull {
      checkName(name);
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(pruning, "pruning");
      Objects.requireNonNull(recv, "recv");
      Objects.requireNonNull(replication, "replication");
      Objects.requireNonNull(conflictResolution, "conflictResolution");
    }

    @Override
    public String type() {
      return "pull";
    }
  }

  /**
   * Snapshots {@code filesystems} and serves them to pull jobs. Unlike zrepl, it may prune on its
   * own with {@code keep} (empty: the pull side prunes, as in zrepl).
   */
  record Source(
      String name,
      Serve serve,
      Filesystems filesystems,
      Snapshotting snapshotting,
      Send send,
      List<KeepRule> keep)
      implements Job {
    public Source {
      checkName(name);
      Objects.requireNonNull(serve, "serve");
      Objects.requireNonNull(filesystems, "filesystems");
      Objects.requireNonNull(snapshotting, "snapshotting");
      Objects.requireNonNull(send, "send");
      keep = List.copyOf(keep);
    }

    @Override
    public String type() {
      return "source";
    }
  }

  /**
   * Replicates between pools of this machine without a transport: {@code mapping} selects the
   * datasets (those it maps) and says where each goes.
   */
  record Local(
      String name,
      Mapping mapping,
      Snapshotting snapshotting,
      Pruning pruning,
      Replication replication,
      ConflictResolution conflictResolution,
      Send send,
      Recv recv)
      implements Job {
    public Local {
      checkName(name);
      Objects.requireNonNull(mapping, "mapping");
      Objects.requireNonNull(snapshotting, "snapshotting");
      Objects.requireNonNull(pruning, "pruning");
      Objects.requireNonNull(replication, "replication");
      Objects.requireNonNull(conflictResolution, "conflictResolution");
      Objects.requireNonNull(send, "send");
      Objects.requireNonNull(recv, "recv");
    }

    @Override
    public String type() {
      return "local";
    }
  }
}
