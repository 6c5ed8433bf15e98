package org.zrepl.zfs.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.zrepl.zfs.ZfsContractTest;
import org.zrepl.zfs.ZfsFixture;

/**
 * The port's contract suite against {@link CliZfs} on real ZFS, in a fresh file-backed pool: this
 * machine's zfs-fuse, or the host named by {@code ZREPL_IT_SSH_CONFIG} (see {@link ZfsTestPool}).
 * Capability-gated cases skip as the probe decides.
 */
class CliZfsContractIT extends ZfsContractTest {

  private static ZfsTestPool pool;
  private static ZfsFixture fixture;

  @BeforeAll
  static void createPool() {
    pool = ZfsTestPool.create();
    fixture = new ZfsTestPoolFixture(pool, new CliZfs(pool.launcher));
  }

  @AfterAll
  static void destroyPool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  protected ZfsFixture fixture() {
    return fixture;
  }
}
