package org.zrepl.app.endpoint;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;

/**
 * What a serving {@code source} job has sent since it started, per filesystem: for each puller
 * (client identity), the {@code to} of the last step it reported replicated (that puller's session
 * cursor), and the snapshots of the steps running now. The source's own pruning protects both;
 * where the ZFS has no bookmarks and no holds (zfs-fuse) this is all it knows of its pullers.
 * Nothing survives a restart.
 *
 * <p>{@link #track} wraps the source's sender so that every step passes through here. Registering a
 * step and a pruning destroy ({@link #whileNotSending}) are mutually exclusive, so a snapshot is
 * either protected before the destroy or gone before the step checks its versions.
 */
public final class SessionCursors {

  /** A step sent to one client. */
  private record Sent(String client, Step step) {}

  private final Map<DatasetPath, Map<String, FilesystemVersion>> replicated = new HashMap<>();
  private final Map<DatasetPath, Map<Sent, Integer>> running = new HashMap<>();

  /** The newest snapshot any puller reported replicated in this session. */
  public synchronized Optional<FilesystemVersion> lastReplicated(DatasetPath fs) {
    return replicated.getOrDefault(fs, Map.of()).values().stream()
        .max(java.util.Comparator.comparingLong(FilesystemVersion::createTxg));
  }

  /** Per client identity, the last snapshot that puller reported replicated in this session. */
  public synchronized Map<String, FilesystemVersion> replicatedByClient(DatasetPath fs) {
    return Map.copyOf(replicated.getOrDefault(fs, Map.of()));
  }

  /** {@link #replicatedByClient(DatasetPath)} of every filesystem a puller replicated. */
  public synchronized Map<DatasetPath, Map<String, FilesystemVersion>> replicatedByClient() {
    Map<DatasetPath, Map<String, FilesystemVersion>> all = new HashMap<>();
    replicated.forEach((fs, byClient) -> all.put(fs, Map.copyOf(byClient)));
    return all;
  }

  /** The guids of the snapshots and bookmarks steps running now use. */
  public synchronized Set<Long> inUse(DatasetPath fs) {
    Set<Long> guids = new HashSet<>();
    running
        .getOrDefault(fs, Map.of())
        .keySet()
        .forEach(
            s -> {
              s.step().from().ifPresent(f -> guids.add(f.guid()));
              guids.add(s.step().to().guid());
            });
    return guids;
  }

  /** Runs {@code action} (a destroy) while no step can start. */
  public synchronized void whileNotSending(Runnable action) {
    action.run();
  }

  /**
   * A new step starting from {@code from} means the steps that ended at or before it are over, even
   * if their puller never said so (a broken connection): they stop protecting anything.
   */
  private synchronized void started(DatasetPath fs, Sent sent) {
    Map<Sent, Integer> steps = running.computeIfAbsent(fs, f -> new HashMap<>());
    sent.step()
        .from()
        .ifPresent(
            from ->
                steps
                    .keySet()
                    .removeIf(
                        s ->
                            s.client().equals(sent.client())
                                && s.step().to().createTxg() <= from.createTxg()));
    steps.merge(sent, 1, Integer::sum);
  }

  /**
   * A step ends; only a step that was really sent to this client (and is not already over) and that
   * the sender accepted as completed moves the session's cursor: a client cannot make up versions,
   * or name a filesystem the sender refused, to weaken the source's pruning protection.
   */
  private synchronized void ended(DatasetPath fs, Sent sent, boolean wasReplicated) {
    Map<Sent, Integer> steps = running.get(fs);
    boolean wasSent = steps != null && steps.containsKey(sent);
    if (steps != null) {
      steps.computeIfPresent(sent, (s, n) -> n > 1 ? n - 1 : null);
      if (steps.isEmpty()) {
        running.remove(fs);
      }
    }
    if (wasReplicated && wasSent) {
      Step step = sent.step();
      FilesystemVersion to = step.to();
      Map<String, FilesystemVersion> byClient =
          replicated.computeIfAbsent(fs, f -> new HashMap<>());
      FilesystemVersion before = byClient.get(sent.client());
      if (before == null || before.createTxg() <= to.createTxg()) {
        byClient.put(sent.client(), to);
      }
    }
  }

  /** {@code sender}, reporting each step's start and end here (one anonymous client). */
  public Sender track(Sender sender) {
    return track(sender, "");
  }

  /** {@code sender} as one client sees it, reporting each step's start and end here. */
  public Sender track(Sender sender, String client) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(client, "client");
    return new Sender() {
      @Override
      public Set<Guarantee> guarantees() {
        return sender.guarantees();
      }

      @Override
      public List<SenderFilesystem> listFilesystems() {
        return sender.listFilesystems();
      }

      @Override
      public Map<DatasetPath, List<FilesystemVersion>> listVersions(
          Collection<DatasetPath> filesystems) {
        return sender.listVersions(filesystems);
      }

      @Override
      public SendStepResponse send(SendStepRequest request) {
        Sent sent = new Sent(client, request.step());
        started(request.filesystem(), sent);
        try {
          return sender.send(request);
        } catch (RuntimeException e) {
          ended(request.filesystem(), sent, false);
          throw e;
        }
      }

      @Override
      public OptionalLong estimateSize(SendStepRequest request) {
        return sender.estimateSize(request);
      }

      @Override
      public void sendCompleted(SendCompletedRequest request) {
        Sent sent = new Sent(client, request.step());
        boolean accepted = false;
        try {
          sender.sendCompleted(request);
          accepted = true;
        } finally {
          ended(request.filesystem(), sent, accepted && request.replicated());
        }
      }

      @Override
      public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
        sender.destroySnapshots(filesystem, snapshots);
      }

      @Override
      public String toString() {
        return sender.toString();
      }
    };
  }
}
