package org.zrepl.port.endpoint;

import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;

/**
 * Asks a sender for the stream of one step.
 *
 * @param filesystem the filesystem, as the sender names it
 * @param step what to send; the sender checks that its versions still have these guids
 * @param resumeToken when present, resume the interrupted receive this token describes instead;
 *     {@code step} is then the step the caller believes was interrupted (its snapshots are held
 *     while the stream runs); the caller replans afterwards
 */
public record SendStepRequest(DatasetPath filesystem, Step step, Optional<String> resumeToken) {

  public SendStepRequest {
    Objects.requireNonNull(filesystem, "filesystem");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(resumeToken, "resumeToken");
    resumeToken.ifPresent(
        t -> {
          if (t.isBlank()) {
            throw new IllegalArgumentException("resumeToken must not be blank");
          }
        });
  }

  public static SendStepRequest of(DatasetPath filesystem, Step step) {
    return new SendStepRequest(filesystem, step, Optional.empty());
  }

  public boolean isResume() {
    return resumeToken.isPresent();
  }
}
