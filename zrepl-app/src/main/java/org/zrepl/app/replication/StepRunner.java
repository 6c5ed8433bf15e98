package org.zrepl.app.replication;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Conflict;
import org.zrepl.domain.replication.ReplicationPlan;
import org.zrepl.domain.replication.ReplicationPlanner;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.StreamFailedException;

/**
 * Runs one step of one filesystem, with attempts: the stream goes from the sender through a {@link
 * MeteredStream} into the receiver; a temporary failure is tried again after the retry interval
 * (resuming where the receiver kept resumable state), a permanent one ends the filesystem.
 */
final class StepRunner {

  private final Sender sender;
  private final Receiver receiver;
  private final ReplicationPolicy policy;
  private final boolean resumable;
  private final List<TokenBucket> bandwidth;
  private final Sleeper sleeper;
  private final ProgressListener listener;
  private final Cancellation cancel;

  StepRunner(
      Sender sender,
      Receiver receiver,
      ReplicationPolicy policy,
      boolean resumable,
      List<TokenBucket> bandwidth,
      Sleeper sleeper,
      ProgressListener listener,
      Cancellation cancel) {
    this.sender = sender;
    this.receiver = receiver;
    this.policy = policy;
    this.resumable = resumable;
    this.bandwidth = bandwidth;
    this.sleeper = sleeper;
    this.listener = listener;
    this.cancel = cancel;
  }

  /** Runs {@code r}'s next step; on return the step is done or {@code r} has a result. */
  void runNextStep(FilesystemRun r) throws InterruptedException {
    Step step = r.nextStep();
    int no = r.done + 1;
    int of = r.steps.size();
    if (cancel.isCancelled()) {
      finish(r, notStarted(r, cancel.reason().orElseThrow()));
      return;
    }
    listener.on(new ProgressEvent.StateChanged(r.filesystem, FilesystemState.STEPPING));
    for (int attempt = 1; ; attempt++) {
      try {
        if (r.rollbackTo.isPresent() && !r.rolledBack) {
          receiver.rollback(r.filesystem, r.rollbackTo.get(), r.destroyedByRollback);
          r.rolledBack = true;
        }
        Transferred t = transfer(r, step, no, of, attempt);
        r.bytes += t.bytes();
        r.done++;
        listener.on(new ProgressEvent.StepCompleted(r.filesystem, no, of, t.bytes()));
        if (t.resumed()) {
          replanAfterResume(r, step);
        } else {
          completed(r, step);
        }
        return;
      } catch (RuntimeException e) {
        boolean temporary = e instanceof EndpointException ee && ee.isTemporary();
        Optional<String> cancelled = cancel.reason();
        String error =
            cancelled.map(why -> "aborted: " + why).orElseGet(() -> message(e))
                + cleanUpAfterFailure(r, step);
        boolean retry = temporary && attempt < policy.maxAttempts() && cancelled.isEmpty();
        listener.on(
            new ProgressEvent.StepFailed(r.filesystem, no, of, error, temporary, attempt, retry));
        if (!retry) {
          finish(
              r,
              new FilesystemResult.Failed(
                  r.filesystem,
                  "step " + no + "/" + of + " (" + step.describe() + "): " + error,
                  temporary,
                  attempt,
                  r.done));
          return;
        }
        listener.on(new ProgressEvent.StateChanged(r.filesystem, FilesystemState.RETRY_WAIT));
        cancel.sleep(sleeper, policy.retryInterval());
        if (cancel.isCancelled()) {
          finish(
              r,
              new FilesystemResult.Failed(
                  r.filesystem,
                  "step "
                      + no
                      + "/"
                      + of
                      + " ("
                      + step.describe()
                      + "): aborted before attempt "
                      + (attempt + 1)
                      + ": "
                      + cancel.reason().orElseThrow()
                      + "; last error: "
                      + error,
                  temporary,
                  attempt,
                  r.done));
          return;
        }
        listener.on(new ProgressEvent.StateChanged(r.filesystem, FilesystemState.STEPPING));
      }
    }
  }

  private record Transferred(long bytes, boolean resumed) {}

  private Transferred transfer(FilesystemRun r, Step step, int no, int of, int attempt) {
    DatasetPath fs = r.filesystem;
    boolean resuming = r.resumeToken.isPresent();
    boolean clear = false;
    listener.on(new ProgressEvent.StepStarted(fs, no, of, step.describe(), resuming, attempt));
    SendStepResponse response;
    try {
      response = sender.send(new SendStepRequest(fs, step, r.resumeToken));
    } catch (EndpointException e) {
      if (!resuming || e.isTemporary()) {
        throw e;
      }
      // The sender cannot resume (the snapshot is gone, say): start the step afresh and have the
      // receiver discard its partial state.
      r.resumeToken = Optional.empty();
      resuming = false;
      clear = true;
      response = sender.send(SendStepRequest.of(fs, step));
    }
    SendStepResponse sent = response;
    listener.on(new ProgressEvent.StreamOpened(fs, no, of, sent.encryption()));
    MeteredStream in =
        new MeteredStream(
            sent.stream(),
            bandwidth,
            b -> listener.on(new ProgressEvent.BytesSent(fs, no, of, b, sent.expectedSize())),
            cancel);
    RuntimeException failure = null;
    try {
      receiver.receive(new ReceiveStepRequest(fs, step, resuming, clear), in);
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      in.close(); // reports the sender's failure, which is the cause of the receiver's
    } catch (EndpointException e) {
      if (failure != null) {
        e.addSuppressed(failure);
      }
      failure = e;
    } catch (IOException e) {
      if (failure == null) {
        failure = new StreamFailedException("closing the stream of " + fs + ": " + e, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    r.resumeToken = Optional.empty();
    return new Transferred(in.bytes(), resuming);
  }

  /**
   * A resume token is opaque, so the resumed step was only a guess. Release what was held for the
   * guess, move the cursor to what the receiver now has, and plan the rest anew.
   */
  private void replanAfterResume(FilesystemRun r, Step guessed) {
    DatasetPath fs = r.filesystem;
    try {
      sender.sendCompleted(new SendCompletedRequest(fs, guessed, false));
      List<FilesystemVersion> sv = sender.listVersions(List.of(fs)).get(fs);
      List<FilesystemVersion> rv = receiver.listVersions(List.of(fs)).get(fs);
      rv.stream()
          .filter(FilesystemVersion::isSnapshot)
          .reduce((a, b) -> b)
          .flatMap(
              newest ->
                  sv.stream().filter(v -> v.isSnapshot() && v.guid() == newest.guid()).findFirst())
          .ifPresent(
              received ->
                  sender.sendCompleted(
                      new SendCompletedRequest(fs, confirmedStep(guessed, received), true)));
      ReplicationPlan plan = ReplicationPlanner.plan(sv, rv, policy.planning());
      if (plan instanceof Conflict c) {
        finish(r, new FilesystemResult.ConflictFound(fs, c));
        return;
      }
      List<Step> next = Planning.steps(plan, sv, policy.batchIntermediates()).orElse(List.of());
      r.replaceRemaining(next);
      listener.on(new ProgressEvent.Planned(fs, plan.describe(), r.steps.size()));
      if (next.isEmpty()) {
        finish(r, new FilesystemResult.Ok(fs, r.plan, r.done, r.bytes));
      }
    } catch (RuntimeException e) {
      finish(
          r,
          new FilesystemResult.Failed(
              fs,
              "resumed a step, but replanning after it failed: " + message(e),
              false,
              1,
              r.done));
    }
  }

  /**
   * The step to confirm after a resume: the guessed one if the receiver now has its {@code to} (so
   * its protection mode, initial or incremental, applies), else a full step of what arrived.
   */
  private static Step confirmedStep(Step guessed, FilesystemVersion received) {
    return guessed.to().guid() == received.guid() ? guessed : Step.full(received);
  }

  private void completed(FilesystemRun r, Step step) {
    try {
      sender.sendCompleted(new SendCompletedRequest(r.filesystem, step, true));
    } catch (RuntimeException e) {
      finish(
          r,
          new FilesystemResult.Failed(
              r.filesystem,
              "replicated "
                  + step.describe()
                  + " but the sender failed to complete it: "
                  + message(e),
              false,
              1,
              r.done));
      return;
    }
    if (!r.hasNext()) {
      finish(r, new FilesystemResult.Ok(r.filesystem, r.plan, r.done, r.bytes));
    }
  }

  /**
   * Keeps the step's holds if the receiver kept resumable state (the next attempt resumes it), else
   * has the sender release them. Returns a note for the error message if that failed.
   */
  private String cleanUpAfterFailure(FilesystemRun r, Step step) {
    try {
      r.resumeToken = resumable ? receiver.resumeToken(r.filesystem) : Optional.empty();
      if (r.resumeToken.isEmpty()) {
        sender.sendCompleted(new SendCompletedRequest(r.filesystem, step, false));
      }
      return "";
    } catch (RuntimeException e) {
      return " (cleaning up after it failed too: " + message(e) + ")";
    }
  }

  /** The result of a run whose next step was never started because the run was cancelled. */
  static FilesystemResult.Failed notStarted(FilesystemRun r, String why) {
    return new FilesystemResult.Failed(
        r.filesystem,
        "step "
            + (r.done + 1)
            + "/"
            + r.steps.size()
            + " ("
            + r.nextStep().describe()
            + ") not started: "
            + why,
        false,
        0,
        r.done);
  }

  private void finish(FilesystemRun r, FilesystemResult result) {
    r.result = result;
    FilesystemState state =
        result instanceof FilesystemResult.Ok ? FilesystemState.DONE : FilesystemState.FAILED;
    listener.on(new ProgressEvent.StateChanged(r.filesystem, state));
    listener.on(new ProgressEvent.FilesystemFinished(result));
  }

  static String message(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e instanceof EndpointException ? m : e.getClass().getSimpleName() + ": " + m;
  }
}
