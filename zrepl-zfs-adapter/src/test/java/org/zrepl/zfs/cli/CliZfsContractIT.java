package org.zrepl.zfs.cli;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.zfs.ZfsContractTest;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The port's contract suite against {@link CliZfs} on this machine's ZFS (zfs-fuse here), in a
 * fresh file-backed pool. Capability-gated cases skip as the probe decides.
 */
class CliZfsContractIT extends ZfsContractTest {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  private static CliZfs zfs;

  @Override
  protected ZfsFixture fixture() {
    if (zfs == null) {
      zfs = new CliZfs(new LocalProcessLauncher());
    }
    return POOL.fixture(zfs);
  }
}
