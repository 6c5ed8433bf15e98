package org.zrepl.port.endpoint;

import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * What a receiver has for one sender filesystem.
 *
 * @param senderPath the filesystem as the sender names it
 * @param localPath where the receiver keeps it (for messages and status only)
 * @param exists the receiver's filesystem exists
 * @param placeholder it exists only as a zrepl placeholder ({@code zrepl:placeholder=on}, set
 *     locally), holding children but no data of its own
 * @param resumeToken the token of an interrupted resumable receive, if any
 */
public record ReceiverFilesystem(
    DatasetPath senderPath,
    DatasetPath localPath,
    boolean exists,
    boolean placeholder,
    Optional<String> resumeToken) {

  public ReceiverFilesystem {
    Objects.requireNonNull(senderPath, "senderPath");
    Objects.requireNonNull(localPath, "localPath");
    Objects.requireNonNull(resumeToken, "resumeToken");
    if (!exists && (placeholder || resumeToken.isPresent())) {
      throw new IllegalArgumentException(
          "a missing filesystem '" + localPath + "' is neither a placeholder nor resumable");
    }
  }

  public static ReceiverFilesystem missing(DatasetPath senderPath, DatasetPath localPath) {
    return new ReceiverFilesystem(senderPath, localPath, false, false, Optional.empty());
  }
}
