package org.zrepl.port.endpoint;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;

/**
 * Tells the sender that a step is over.
 *
 * @param filesystem as the sender names it
 * @param step the step
 * @param replicated the receiver has the step's {@code to} snapshot: move the replication cursor to
 *     it. When false the step was abandoned without resumable state; the sender only releases what
 *     it held for the step.
 */
public record SendCompletedRequest(DatasetPath filesystem, Step step, boolean replicated) {

  public SendCompletedRequest {
    Objects.requireNonNull(filesystem, "filesystem");
    Objects.requireNonNull(step, "step");
  }
}
