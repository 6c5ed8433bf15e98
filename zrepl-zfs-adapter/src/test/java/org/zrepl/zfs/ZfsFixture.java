package org.zrepl.zfs;

import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;

/**
 * What {@link ZfsContractTest} needs from an implementation under test: the {@link Zfs}, fresh
 * empty filesystems, and a way to put data into a filesystem and read it back that does not go
 * through the port (the fake writes into memory; real ZFS into the mountpoint).
 */
public interface ZfsFixture {

  Zfs zfs();

  /** A new, empty filesystem that only the current test uses (the sending side). */
  DatasetPath newRoot();

  /** A new, empty filesystem to receive into; in another pool where the implementation has one. */
  DatasetPath newReceiveRoot();

  /** Writes a file into a filesystem (mounting it first if needed). */
  void write(DatasetPath fs, String file, byte[] data);

  /** A file's content; throws {@link AssertionError} if there is no such file. */
  byte[] read(DatasetPath fs, String file);
}
