package org.zrepl.port.zfs;

/** Flags of {@code zfs send}, as zrepl's {@code send:} config exposes them. */
public enum SendFlag {
  /** {@code -w}: raw (encrypted datasets stay encrypted). */
  RAW("-w"),
  /** {@code -p}: include properties. */
  PROPERTIES("-p"),
  /** {@code -L}: large blocks. */
  LARGE_BLOCKS("-L"),
  /** {@code -c}: compressed. */
  COMPRESSED("-c"),
  /** {@code -e}: embedded data. */
  EMBEDDED_DATA("-e"),
  /** {@code -b}: send received properties as received. */
  BACKUP_PROPERTIES("-b"),
  /** {@code -S}: send a saved partial receive. */
  SAVED("-S");

  private final String option;

  SendFlag(String option) {
    this.option = option;
  }

  public String option() {
    return option;
  }
}
