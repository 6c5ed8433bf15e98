package org.zrepl.port.zfs;

import java.util.List;

/** The dataset, snapshot or bookmark already exists. */
public class DatasetExistsException extends ZfsException {

  public DatasetExistsException(List<String> argv, int exitCode, String stderr) {
    super(argv, exitCode, stderr);
  }
}
