package org.zrepl.app.prune;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.zrepl.app.endpoint.TargetCursors;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.prune.KeepRule;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;

/**
 * Pruning one side of a replication through its {@link Sender} and {@link Receiver} ports, so that
 * a push job prunes the sink and a pull job the source over the RPC exactly as it prunes its own
 * side. Both sides are listed first (filesystems named as on the sender, as the ports do): the
 * other side's versions protect the incremental base (the newest snapshot both have) on the pruned
 * side, and on the sending side, without a replication cursor bookmark of this job, the incremental
 * base is the cursor for {@code not_replicated}. Only the filesystems the sender serves now and the
 * receiver has are pruned.
 */
public final class ReplicationPruning {

  private ReplicationPruning() {}

  /** What both sides have, for the filesystems the sender serves (placeholders left out). */
  private record Sides(
      List<DatasetPath> served,
      Map<DatasetPath, ReceiverFilesystem> onReceiver,
      Map<DatasetPath, List<FilesystemVersion>> senderVersions,
      Map<DatasetPath, List<FilesystemVersion>> receiverVersions) {

    static Sides list(Sender sender, Receiver receiver) {
      List<DatasetPath> served =
          sender.listFilesystems().stream()
              .filter(f -> !f.placeholder())
              .map(SenderFilesystem::path)
              .toList();
      Map<DatasetPath, ReceiverFilesystem> onReceiver =
          served.isEmpty() ? Map.of() : receiver.listFilesystems(served);
      List<DatasetPath> existing = served.stream().filter(p -> exists(onReceiver, p)).toList();
      return new Sides(
          served,
          onReceiver,
          served.isEmpty() ? Map.of() : sender.listVersions(served),
          existing.isEmpty() ? Map.of() : receiver.listVersions(existing));
    }

    private static boolean exists(Map<DatasetPath, ReceiverFilesystem> on, DatasetPath p) {
      ReceiverFilesystem f = on.get(p);
      return f != null && f.exists();
    }
  }

  /**
   * The sending side of job {@code job} with its {@code keep_sender} rules, listed now. Throws the
   * ports' {@code EndpointException} if either side cannot be listed.
   */
  public static PruneRun senderSide(
      String job, List<KeepRule> rules, Sender sender, Receiver receiver) {
    return senderSide(job, rules, sender, receiver, TargetCursors.Lookup.none());
  }

  /**
   * As above, where the sender is this machine's: {@code recorded} tells the other targets' cursors
   * ({@link TargetCursors}), whose snapshots are kept and which {@code not_replicated} with {@code
   * targets: all} waits for.
   */
  public static PruneRun senderSide(
      String job,
      List<KeepRule> rules,
      Sender sender,
      Receiver receiver,
      TargetCursors.Lookup recorded) {
    Sides sides = Sides.list(sender, receiver);
    PruneTarget target =
        new PruneTarget(
            job,
            PruneSide.SENDER,
            fs -> true,
            rules,
            PruneContexts.sender(job, sides.receiverVersions(), recorded));
    return new PruneRun(target, new SenderEndpoint(sender, sides.served()));
  }

  /** The receiving side of job {@code job} with its {@code keep_receiver} rules, listed now. */
  public static PruneRun receiverSide(
      String job, List<KeepRule> rules, Sender sender, Receiver receiver) {
    Sides sides = Sides.list(sender, receiver);
    PruneTarget target =
        new PruneTarget(
            job,
            PruneSide.RECEIVER,
            fs -> true,
            rules,
            PruneContexts.peer(sides.senderVersions(), Map.of()));
    Map<DatasetPath, DatasetPath> names = new LinkedHashMap<>();
    sides
        .receiverVersions()
        .keySet()
        .forEach(p -> names.put(p, sides.onReceiver().get(p).localPath()));
    return new PruneRun(target, new ReceiverEndpoint(receiver, names));
  }

  private record SenderEndpoint(Sender sender, List<DatasetPath> served) implements PruneEndpoint {
    SenderEndpoint {
      Objects.requireNonNull(sender, "sender");
      served = List.copyOf(served);
    }

    @Override
    public List<DatasetPath> filesystems() {
      return served;
    }

    @Override
    public Map<DatasetPath, List<FilesystemVersion>> listVersions(
        Collection<DatasetPath> filesystems) {
      return filesystems.isEmpty() ? Map.of() : sender.listVersions(filesystems);
    }

    @Override
    public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
      sender.destroySnapshots(filesystem, snapshots);
    }

    @Override
    public String toString() {
      return sender.toString();
    }
  }

  /** {@code names}: the receiver's filesystems (by sender name) and their names there. */
  private record ReceiverEndpoint(Receiver receiver, Map<DatasetPath, DatasetPath> names)
      implements PruneEndpoint {
    ReceiverEndpoint {
      Objects.requireNonNull(receiver, "receiver");
      names = Map.copyOf(names);
    }

    @Override
    public List<DatasetPath> filesystems() {
      return List.copyOf(names.keySet());
    }

    @Override
    public Map<DatasetPath, List<FilesystemVersion>> listVersions(
        Collection<DatasetPath> filesystems) {
      return filesystems.isEmpty() ? Map.of() : receiver.listVersions(filesystems);
    }

    @Override
    public void destroy(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
      receiver.destroySnapshots(filesystem, snapshots);
    }

    @Override
    public DatasetPath localName(DatasetPath filesystem) {
      return names.getOrDefault(filesystem, filesystem);
    }

    @Override
    public String toString() {
      return receiver.toString();
    }
  }
}
