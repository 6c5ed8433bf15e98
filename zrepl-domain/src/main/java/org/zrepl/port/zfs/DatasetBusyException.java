package org.zrepl.port.zfs;

import java.util.List;

/** ZFS refused because the dataset is in use: held, mounted and busy, or being received into. */
public class DatasetBusyException extends ZfsException {

  public DatasetBusyException(List<String> argv, int exitCode, String stderr) {
    super(argv, exitCode, stderr);
  }
}
