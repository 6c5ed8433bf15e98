package org.zrepl.port.endpoint;

import org.zrepl.domain.dataset.DatasetPath;

/** The endpoint does not serve, or no longer has, the filesystem. Permanent. */
public class FilesystemNotFoundException extends EndpointException {

  private final DatasetPath filesystem;

  public FilesystemNotFoundException(DatasetPath filesystem, String message, Throwable cause) {
    super(message, false, cause);
    this.filesystem = filesystem;
  }

  public DatasetPath filesystem() {
    return filesystem;
  }
}
