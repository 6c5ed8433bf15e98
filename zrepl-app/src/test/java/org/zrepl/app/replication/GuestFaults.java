package org.zrepl.app.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * What the fault ITs do and check in the OpenZFS guest with shell commands: write data, kill a
 * process, fill a pool, read resume tokens, checksums and holds.
 */
final class GuestFaults {
  private static final Pattern TOKEN_BYTES = Pattern.compile("(?m)^\\s*bytes = (0x[0-9a-f]+|\\d+)");

  private final OpenZfsGuest guest;

  GuestFaults(OpenZfsGuest guest) {
    this.guest = guest;
  }

  /**
   * SIGKILLs the guest's processes whose command line matches the extended regex {@code regex} (it
   * must name datasets of the caller's own, so that only its processes match), by pid; returns the
   * pids.
   */
  List<String> kill(String regex) {
    String pids = guest.sh("pgrep -f -- '" + regex.replace("'", "'\\''") + "' || true").strip();
    List<String> out = new ArrayList<>();
    for (String pid : pids.split("\\s+", 0)) {
      if (pid.matches("\\d+")) {
        guest.sh("kill -9 " + pid + " || true");
        out.add(pid);
      }
    }
    return out;
  }

  /**
   * Reserves all but {@code room} bytes of the receiving pool for a new dataset {@code name} below
   * it; returns its full name (destroy it to give the room back).
   */
  String leaveRoomFor(long room, String name) {
    long avail =
        Long.parseLong(
            guest.run("zfs", "get", "-Hp", "-o", "value", "available", guest.sink()).strip());
    String fill = guest.sink() + "/" + name;
    guest.run("zfs", "create", "-o", "reservation=" + (avail - room), fill);
    return fill;
  }

  /**
   * The resume token of {@code target} once the receiving side noticed the fault: the receive may
   * end in a server thread after the client's run has failed (a slow guest); at most two minutes.
   */
  String tokenOnceTheReceiveEnded(DatasetPath target) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      String t =
          guest
              .sh(
                  "zfs get -H -o value receive_resume_token "
                      + target
                      + " 2>/dev/null || echo missing")
              .strip();
      if (t.startsWith("1-") || System.nanoTime() - deadline > 0) {
        return t;
      }
      try {
        Thread.sleep(1000); // polling a remote guest; no clock to inject
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return t;
      }
    }
  }

  /** {@code -} when {@code target} holds no partial receive. */
  String token(DatasetPath target) {
    return guest
        .run("zfs", "get", "-H", "-o", "value", "receive_resume_token", target.toString())
        .strip();
  }

  /** The {@code bytes} a resume token says were received ({@code zfs send -nvt}). */
  long tokenBytes(String token) {
    String contents = guest.sh("zfs send -nvt " + token + " 2>&1 || true");
    Matcher m = TOKEN_BYTES.matcher(contents);
    if (!m.find()) {
      throw new IllegalStateException("no 'bytes' in the resume token's contents: " + contents);
    }
    String v = m.group(1);
    return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
  }

  /** Writes {@code bytes} random bytes to {@code file} of the mounted {@code fs}. */
  void writeRandom(DatasetPath fs, String file, int bytes) {
    guest.sh("head -c " + bytes + " /dev/urandom > /mnt/" + fs + "/" + file + " && sync");
  }

  /** The sha256 of {@code file} in {@code fs}, which is mounted first if need be. */
  String checksum(DatasetPath fs, String file) {
    if (guest
        .run("zfs", "get", "-H", "-o", "value", "mounted", fs.toString())
        .strip()
        .equals("no")) {
      guest.run("zfs", "mount", fs.toString());
    }
    String mnt = guest.run("zfs", "get", "-H", "-o", "value", "mountpoint", fs.toString()).strip();
    return guest.sh("sha256sum < " + mnt + "/" + file).split(" ", 0)[0];
  }

  /** The size {@code zfs send -nvP ARGS} estimates. */
  long sendSize(String... args) {
    String out =
        guest.sh("zfs send -nvP " + String.join(" ", args) + " | awk '$1==\"size\"{print $2}'");
    return Long.parseLong(out.strip());
  }

  /** {@code dataset@snapshot tag} of every hold of ours ({@code zrepl_*}) below {@code root}. */
  List<String> ourHolds(DatasetPath root) {
    String holds =
        guest.sh("zfs list -H -t snapshot -o name -r " + root + " | xargs -r zfs holds -H");
    List<String> ours = new ArrayList<>();
    for (String line : holds.split("\n", 0)) {
      String[] f = line.split("\t", 0);
      if (f.length >= 2 && f[1].startsWith("zrepl_")) {
        ours.add(f[0] + " " + f[1]);
      }
    }
    return ours;
  }
}
