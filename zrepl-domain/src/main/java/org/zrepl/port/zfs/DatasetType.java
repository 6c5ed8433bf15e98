package org.zrepl.port.zfs;

/** The dataset types zrepl replicates. */
public enum DatasetType {
  FILESYSTEM("filesystem"),
  VOLUME("volume");

  private final String zfsName;

  DatasetType(String zfsName) {
    this.zfsName = zfsName;
  }

  /** The word {@code zfs get type} prints. */
  public String zfsName() {
    return zfsName;
  }

  public static DatasetType fromZfs(String word) {
    for (DatasetType t : values()) {
      if (t.zfsName.equals(word)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown dataset type '" + word + "'");
  }
}
