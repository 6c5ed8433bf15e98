package org.zrepl.zfs.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;

/**
 * The contract suite's fixture on a {@link ZfsTestPool}: roots {@code <pool>/t<n>} and {@code
 * <pool>/r<n>}, files written and read through the pool's launcher, so it works on a remote ZFS
 * reached over ssh as well as locally.
 */
final class ZfsTestPoolFixture implements ZfsFixture {

  private final ZfsTestPool pool;
  private final Zfs zfs;
  private final AtomicInteger next = new AtomicInteger();

  ZfsTestPoolFixture(ZfsTestPool pool, Zfs zfs) {
    this.pool = pool;
    this.zfs = zfs;
  }

  @Override
  public Zfs zfs() {
    return zfs;
  }

  @Override
  public DatasetPath newRoot() {
    return create("t");
  }

  @Override
  public DatasetPath newReceiveRoot() {
    return create("r");
  }

  private DatasetPath create(String prefix) {
    String name = pool.name + "/" + prefix + next.incrementAndGet();
    pool.run("zfs", "create", name);
    return DatasetPath.of(name);
  }

  @Override
  public void write(DatasetPath fs, String file, byte[] data) {
    pool.writeFile(fs.toString(), file, data);
  }

  @Override
  public byte[] read(DatasetPath fs, String file) {
    return pool.readFile(fs.toString(), file);
  }
}
