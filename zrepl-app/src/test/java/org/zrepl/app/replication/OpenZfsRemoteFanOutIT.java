package org.zrepl.app.replication;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.daemon.RemoteFanOut;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.zfs.ZfsFixture;
import org.zrepl.zfs.cli.CliZfs;

/**
 * Fan-out over real transports on OpenZFS: push to two sinks over tcp, and one source pulled over
 * tls by two client identities ({@link RemoteFanOut}; the servers and jobs run in this JVM, ZFS in
 * the guest). While B is away, the sending side's pruning destroys B's base snapshot; B continues
 * incrementally from its own cursor bookmark ({@code zrepl_CURSOR_G_<guid>_J_to_b}, for a puller
 * {@code ..._J_laptop_C_beta}), no full resend, guids equal on both targets.
 */
class OpenZfsRemoteFanOutIT {

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;

  @TempDir Path dir;
  private RemoteFanOut fanOut;

  @BeforeEach
  void rig() {
    fanOut = new RemoteFanOut(new GuestFixture(new CliZfs(GUEST.launcher())), dir);
  }

  @AfterEach
  void stop() throws Exception {
    fanOut.close();
  }

  @Test
  void pushToTwoSinksTheSinkThatWasDownContinuesFromItsCursorBookmark() throws Exception {
    fanOut.pushToTwoSinks("this_job");
  }

  @Test
  void oneSourceTwoPullersThePullerThatWasAwayContinuesFromItsCursorBookmark() throws Exception {
    fanOut.oneSourceTwoPullers("this_job");
  }

  /** Filesystems in the guest's two pools; files written and read there over ssh. */
  private record GuestFixture(Zfs zfs) implements ZfsFixture {

    @Override
    public DatasetPath newRoot() {
      next++;
      DatasetPath p = DatasetPath.of(GUEST.source() + "/rfan" + next);
      GUEST.run("zfs", "create", p.toString());
      return p;
    }

    @Override
    public DatasetPath newReceiveRoot() {
      next++;
      DatasetPath p = DatasetPath.of(GUEST.sink() + "/rfan" + next);
      GUEST.run("zfs", "create", "-o", "atime=off", p.toString());
      return p;
    }

    @Override
    public void write(DatasetPath fs, String file, byte[] data) {
      String text = new String(data, StandardCharsets.UTF_8);
      if (!text.matches("[A-Za-z0-9 /_.-]*")) {
        throw new IllegalArgumentException("the guest fixture writes plain words, got " + text);
      }
      GUEST.sh("printf '%s' '" + text + "' > " + mountpoint(fs) + "/" + file + " && sync");
    }

    @Override
    public byte[] read(DatasetPath fs, String file) {
      if (!GUEST
          .run("zfs", "get", "-H", "-o", "value", "mounted", fs.toString())
          .strip()
          .equals("yes")) {
        GUEST.run("zfs", "mount", fs.toString());
      }
      return GUEST.run("cat", mountpoint(fs) + "/" + file).getBytes(StandardCharsets.UTF_8);
    }

    private static String mountpoint(DatasetPath fs) {
      return GUEST.run("zfs", "get", "-H", "-o", "value", "mountpoint", fs.toString()).strip();
    }
  }
}
