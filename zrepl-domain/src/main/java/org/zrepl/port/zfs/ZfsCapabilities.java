package org.zrepl.port.zfs;

/**
 * What one installed ZFS can do. {@code CliZfs} detects this by probing; the fake is configured
 * with one of the presets so that capability-gated tests skip identically on both.
 *
 * @param flavour human-readable name and version, e.g. {@code "zfs-fuse 0.7.2"} or {@code "OpenZFS
 *     2.1.11"}
 * @param parsableList {@code zfs list -p} prints exact numbers (zfs-fuse lacks it; {@code zfs get
 *     -Hp} works everywhere)
 * @param atomicMultiSnapshot {@code zfs snapshot a@s b@s} creates both atomically
 * @param batchDestroy {@code zfs destroy fs@a,b,c}
 * @param bookmarks {@code zfs bookmark} and incremental sends from a bookmark
 * @param holds {@code zfs hold / release / holds}
 * @param resumableReceive {@code zfs recv -s}, {@code receive_resume_token}, {@code zfs send -t}
 * @param sendSizeEstimate {@code zfs send -nvP} prints a parsable size
 * @param rawSend {@code zfs send -w} (encrypted datasets)
 * @param receivePropertyOverrides {@code zfs recv -o prop=value} and {@code -x prop}
 */
public record ZfsCapabilities(
    String flavour,
    boolean parsableList,
    boolean atomicMultiSnapshot,
    boolean batchDestroy,
    boolean bookmarks,
    boolean holds,
    boolean resumableReceive,
    boolean sendSizeEstimate,
    boolean rawSend,
    boolean receivePropertyOverrides) {

  public ZfsCapabilities {
    if (flavour == null || flavour.isBlank()) {
      throw new IllegalArgumentException("flavour must not be blank");
    }
  }

  /** A capability by name, for reports and test gating. */
  public enum Feature {
    PARSABLE_LIST,
    ATOMIC_MULTI_SNAPSHOT,
    BATCH_DESTROY,
    BOOKMARKS,
    HOLDS,
    RESUMABLE_RECEIVE,
    SEND_SIZE_ESTIMATE,
    RAW_SEND,
    RECEIVE_PROPERTY_OVERRIDES
  }

  public boolean has(Feature f) {
    return switch (f) {
      case PARSABLE_LIST -> parsableList;
      case ATOMIC_MULTI_SNAPSHOT -> atomicMultiSnapshot;
      case BATCH_DESTROY -> batchDestroy;
      case BOOKMARKS -> bookmarks;
      case HOLDS -> holds;
      case RESUMABLE_RECEIVE -> resumableReceive;
      case SEND_SIZE_ESTIMATE -> sendSizeEstimate;
      case RAW_SEND -> rawSend;
      case RECEIVE_PROPERTY_OVERRIDES -> receivePropertyOverrides;
    };
  }

  /**
   * zfs-fuse 0.7 (pool version 23). The adapter's probe is authoritative; this preset records what
   * the probe finds on Debian's zfs-fuse so the fake can imitate it: {@code zfs snapshot a@x b@x}
   * fails ("too many arguments"), {@code zfs destroy fs@a,b} fails ("invalid dataset name"), and
   * although {@code zfs hold}/{@code release} work, {@code zfs holds} fails ("internal error:
   * /usr/lib/zfs/pyzfs.py not found"), so holds cannot be listed.
   */
  public static ZfsCapabilities zfsFuse() {
    return new ZfsCapabilities(
        "zfs-fuse 0.7", false, false, false, false, false, false, false, false, false);
  }

  /** OpenZFS 2.1 (Debian bookworm). */
  public static ZfsCapabilities openZfs21() {
    return new ZfsCapabilities("OpenZFS 2.1", true, true, true, true, true, true, true, true, true);
  }

  /** OpenZFS 2.3 (bookworm-backports). */
  public static ZfsCapabilities openZfs23() {
    return new ZfsCapabilities("OpenZFS 2.3", true, true, true, true, true, true, true, true, true);
  }
}
