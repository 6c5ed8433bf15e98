package org.zrepl.port.endpoint;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * A filesystem a sender serves.
 *
 * @param path its name on the sender
 * @param placeholder it is a zrepl placeholder (created only to hold children), so it has no data
 *     of its own to send
 */
public record SenderFilesystem(DatasetPath path, boolean placeholder) {

  public SenderFilesystem {
    Objects.requireNonNull(path, "path");
  }
}
