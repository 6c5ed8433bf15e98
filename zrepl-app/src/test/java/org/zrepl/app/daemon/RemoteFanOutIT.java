package org.zrepl.app.daemon;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.zfs.ZfsFusePoolFixture;
import org.zrepl.zfs.cli.CliZfs;
import org.zrepl.zfs.cli.LocalProcessLauncher;

/**
 * Fan-out over real transports on zfs-fuse (no bookmarks, no holds): push to two sinks over tcp,
 * and one source pulled over tls by two client identities; the target that was away for four rounds
 * continues incrementally from the base the sender's pruning kept for it ({@link RemoteFanOut}).
 */
class RemoteFanOutIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  @TempDir Path dir;
  private RemoteFanOut fanOut;

  @BeforeEach
  void rig() {
    fanOut = new RemoteFanOut(POOL.fixture(new CliZfs(new LocalProcessLauncher())), dir);
  }

  @AfterEach
  void stop() throws Exception {
    fanOut.close();
  }

  @Test
  void pushToTwoSinksTheSinkThatWasDownContinuesFromItsKeptBase() throws Exception {
    fanOut.pushToTwoSinks("this_job");
  }

  @Test
  void pushToTwoSinksNotReplicatedToAllTargetsKeepsWhatTheSinkThatWasDownLacks() throws Exception {
    fanOut.pushToTwoSinks("all");
  }

  @Test
  void oneSourceTwoPullersThePullerThatWasAwayContinuesFromItsKeptBase() throws Exception {
    fanOut.oneSourceTwoPullers("this_job");
  }
}
