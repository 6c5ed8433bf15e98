package org.zrepl.port.zfs;

import java.util.List;

/** The installed ZFS cannot do this (see ZfsCapabilities). */
public class UnsupportedZfsFeatureException extends ZfsException {

  public UnsupportedZfsFeatureException(List<String> argv, int exitCode, String stderr) {
    super(argv, exitCode, stderr);
  }
}
