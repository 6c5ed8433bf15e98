package org.zrepl.app.replication;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.unixsocket.UnixSocketChannel;
import org.zrepl.port.transport.Connector;
import org.zrepl.transport.stdinserver.SshConnector;
import org.zrepl.transport.stdinserver.StdinserverClient;

/**
 * The {@code ssh} of {@link OpenZfsTransportFaultsIT}'s {@code ssh+stdinserver} cases, as a process
 * of its own: it does what sshd and {@code zrepl stdinserver IDENTITY} do on the peer (hands a pair
 * of descriptors to the daemon's {@link org.zrepl.transport.stdinserver.StdinserverListener}), and
 * relays them to its stdin and stdout as the ssh client's pipes do. So SIGKILLing it cuts the
 * session on both sides, as an ssh that dies mid-stream does. Its pid is appended to a file, so the
 * test kills exactly it.
 *
 * <p>Usage: {@code java -cp ... SshShim SOCKDIR IDENTITY PIDFILE}
 */
public final class SshShim {
  private SshShim() {}

  public static void main(String[] args) throws IOException {
    Files.writeString(
        Path.of(args[2]),
        ProcessHandle.current().pid() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    UnixSocketChannel[] toDaemon = UnixSocketChannel.pair();
    UnixSocketChannel[] fromDaemon = UnixSocketChannel.pair();
    relay(new FileInputStream(FileDescriptor.in), Channels.newOutputStream(toDaemon[0]));
    relay(Channels.newInputStream(fromDaemon[0]), new FileOutputStream(FileDescriptor.out));
    StdinserverClient.Verdict v =
        StdinserverClient.serve(
            Path.of(args[0]), args[1], toDaemon[1].getFD(), fromDaemon[1].getFD());
    System.exit(v.exitStatus());
  }

  private static void relay(InputStream in, OutputStream out) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (in;
                  out) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // the other side is gone; closing ours tells the next one
              }
            },
            "relay");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The real {@link SshConnector} with an {@code ssh} (the script {@code script}, written here)
   * that runs this class with this JVM's java and class path, for identity {@code laptop}; each
   * one's pid is appended to {@code pids}.
   */
  static Connector connector(Path script, Path sockdir, Path pids, Duration dial)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.writeString(
        script,
        "#!/bin/sh\n# stands in for ssh; its arguments (host, key, command) are ignored\nexec "
            + quote(java)
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
            + quote(System.getProperty("java.class.path"))
            + " "
            + SshShim.class.getName()
            + " "
            + quote(sockdir.toString())
            + " laptop "
            + quote(pids.toString())
            + "\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new SshConnector(
        script.toString(), "backup.example", "root", 22, script, List.of(), dial);
  }

  /**
   * SIGKILLs the live stand-ins listed in {@code pids}: every connection's link dies. Returns what
   * it found and killed, for the case's line.
   */
  static List<String> killAll(Path pids) {
    List<String> out = new ArrayList<>();
    try {
      for (String pid : Files.readAllLines(pids, StandardCharsets.UTF_8)) {
        if (!pid.matches("\\d+")) {
          continue;
        }
        long id = Long.parseLong(pid);
        // only a child of this JVM: a pid reused since is left alone
        Optional<ProcessHandle> h =
            ProcessHandle.current().children().filter(c -> c.pid() == id).findFirst();
        if (h.isPresent()) {
          out.add("ssh " + pid + (h.get().destroyForcibly() ? " killed" : " not killed"));
        } else {
          out.add("ssh " + pid + " gone");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ssh stand-ins' pids in " + pids, e);
    }
    return out;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
