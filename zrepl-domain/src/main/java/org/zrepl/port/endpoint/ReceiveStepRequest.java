package org.zrepl.port.endpoint;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;

/**
 * Asks a receiver to receive one step's stream.
 *
 * @param filesystem as the sender names it; the receiver maps it to its own name
 * @param step the step the stream carries, in sender versions; after receiving, the receiver checks
 *     that it has {@code step.to()} with the same guid
 * @param resumed the stream resumes the receiver's interrupted receive; {@code step} is then only
 *     the caller's guess (a resume token is opaque), so the receiver does not check {@code to} and
 *     treats its newest snapshot as the one received
 * @param clearResumeState discard the receiver's partial state of an interrupted receive first
 *     (when the sender could not resume it)
 */
public record ReceiveStepRequest(
    DatasetPath filesystem, Step step, boolean resumed, boolean clearResumeState) {

  public ReceiveStepRequest {
    Objects.requireNonNull(filesystem, "filesystem");
    Objects.requireNonNull(step, "step");
    if (resumed && clearResumeState) {
      throw new IllegalArgumentException("a resumed receive cannot clear its own resume state");
    }
  }

  public static ReceiveStepRequest of(DatasetPath filesystem, Step step) {
    return new ReceiveStepRequest(filesystem, step, false, false);
  }
}
