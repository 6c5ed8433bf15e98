package org.zrepl.app.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Conflict;
import org.zrepl.domain.replication.ReplicationPlan;
import org.zrepl.domain.replication.ReplicationPlanner;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.replication.StepBatching;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;

/**
 * Lists both sides in a constant number of calls (four: sender filesystems, receiver filesystems,
 * sender versions, receiver versions) and plans every filesystem with {@link ReplicationPlanner}.
 */
final class Planning {

  /**
   * @param runs filesystems with steps to do
   * @param finished filesystems already decided: up to date, conflicting, sender placeholders
   */
  record Result(List<FilesystemRun> runs, List<FilesystemResult> finished) {
    int filesystems() {
      return runs.size() + finished.size();
    }
  }

  private Planning() {}

  static Result plan(
      Sender sender, Receiver receiver, ReplicationPolicy policy, ProgressListener listener) {
    List<SenderFilesystem> filesystems = sender.listFilesystems();
    List<DatasetPath> paths = filesystems.stream().map(SenderFilesystem::path).toList();
    Map<DatasetPath, ReceiverFilesystem> onReceiver = receiver.listFilesystems(paths);
    Map<DatasetPath, List<FilesystemVersion>> senderVersions =
        sender.listVersions(
            filesystems.stream()
                .filter(f -> !f.placeholder())
                .map(SenderFilesystem::path)
                .toList());
    Map<DatasetPath, List<FilesystemVersion>> receiverVersions =
        receiver.listVersions(paths.stream().filter(p -> onReceiver.get(p).exists()).toList());

    List<FilesystemRun> runs = new ArrayList<>();
    List<FilesystemResult> finished = new ArrayList<>();
    for (SenderFilesystem f : filesystems) {
      DatasetPath fs = f.path();
      if (f.placeholder()) {
        finished.add(
            new FilesystemResult.Ok(fs, "placeholder on the sender: nothing to send", 0, 0));
        listener.on(new ProgressEvent.Planned(fs, "placeholder on the sender", 0));
        continue;
      }
      List<FilesystemVersion> sv = senderVersions.getOrDefault(fs, List.of());
      ReplicationPlan plan =
          ReplicationPlanner.plan(
              sv, receiverVersions.getOrDefault(fs, List.of()), policy.planning());
      Optional<FilesystemRun> run =
          toRun(fs, plan, sv, onReceiver.get(fs).resumeToken(), policy.batchIntermediates());
      listener.on(
          new ProgressEvent.Planned(fs, plan.describe(), run.map(r -> r.steps.size()).orElse(0)));
      if (run.isPresent()) {
        runs.add(run.get());
      } else if (plan instanceof Conflict c) {
        finished.add(new FilesystemResult.ConflictFound(fs, c));
      } else if (plan instanceof ReplicationPlan.RollbackThenIncremental rb) {
        finished.add(
            new FilesystemResult.Ok(
                fs,
                "nothing to send; the receiver is not rolled back to "
                    + rb.rollbackTo().relativeName()
                    + " until there is",
                0,
                0));
      } else {
        finished.add(new FilesystemResult.Ok(fs, plan.describe(), 0, 0));
      }
    }
    return new Result(runs, finished);
  }

  /**
   * The steps of a plan that has any (batched if asked): those of an initial, incremental or
   * rollback plan; empty for up-to-date and conflicting ones.
   */
  static Optional<List<Step>> steps(
      ReplicationPlan plan, List<FilesystemVersion> senderVersions, boolean batch) {
    List<Step> steps;
    if (plan instanceof ReplicationPlan.Initial i) {
      steps = i.steps();
    } else if (plan instanceof ReplicationPlan.Incremental inc) {
      steps = inc.steps();
    } else if (plan instanceof ReplicationPlan.RollbackThenIncremental rb
        && !rb.steps().isEmpty()) {
      steps = rb.steps();
    } else {
      return Optional.empty();
    }
    return Optional.of(batch ? StepBatching.batch(steps, senderVersions) : steps);
  }

  private static Optional<FilesystemRun> toRun(
      DatasetPath fs,
      ReplicationPlan plan,
      List<FilesystemVersion> senderVersions,
      Optional<String> token,
      boolean batch) {
    Optional<List<Step>> steps = steps(plan, senderVersions, batch);
    if (steps.isEmpty()) {
      return Optional.empty();
    }
    Optional<FilesystemVersion> rollbackTo = Optional.empty();
    List<FilesystemVersion> destroyed = List.of();
    if (plan instanceof ReplicationPlan.RollbackThenIncremental rb) {
      rollbackTo = Optional.of(rb.rollbackTo());
      destroyed = rb.destroyedOnReceiver();
    }
    boolean initial = plan instanceof ReplicationPlan.Initial;
    return Optional.of(
        new FilesystemRun(fs, plan.describe(), steps.get(), rollbackTo, destroyed, initial, token));
  }
}
