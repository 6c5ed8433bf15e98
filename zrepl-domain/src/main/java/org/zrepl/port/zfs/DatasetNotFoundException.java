package org.zrepl.port.zfs;

import java.util.List;

/** The dataset, snapshot or bookmark does not exist. */
public class DatasetNotFoundException extends ZfsException {

  public DatasetNotFoundException(List<String> argv, int exitCode, String stderr) {
    super(argv, exitCode, stderr);
  }
}
