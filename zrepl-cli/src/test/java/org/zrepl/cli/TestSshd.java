package org.zrepl.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zrepl.cli.DaemonProcessHarness.Result;

/**
 * A real OpenSSH server of the test's own ({@code /usr/sbin/sshd -D -e -f <its config>}) on
 * 127.0.0.1 and a free port, with a fresh host key, accepting only the keys in its {@code
 * authorized_keys}. Debian's {@code openssh-server} is installed by {@code scripts/setup-zfs-fuse}.
 */
final class TestSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final int port;
  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();

  private TestSshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Why this machine cannot run the test, or null. */
  static String whyUnavailable() {
    if (!Files.isExecutable(SSHD)) {
      return SSHD + " is missing (apt-get install openssh-server; scripts/setup-zfs-fuse does)";
    }
    return null;
  }

  /** Generates the host key and starts sshd; {@code authorizedKeys} lines are served as given. */
  static TestSshd start(Path dir, List<String> authorizedKeys) throws Exception {
    keygen(dir.resolve("host_ed25519"));
    Files.write(dir.resolve("authorized_keys"), authorizedKeys);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_ed25519"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            ""));
    // sshd running as root insists on its privilege separation directory.
    if ("root".equals(System.getProperty("user.name"))) {
      Files.createDirectories(Path.of("/run/sshd"));
    }
    Process p =
        new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .start();
    TestSshd sshd = new TestSshd(dir, port, p);
    sshd.awaitListening();
    return sshd;
  }

  private void awaitListening() throws InterruptedException {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  log.add(l);
                  lines.add(l);
                }
              } catch (IOException ignored) {
                // sshd ended
              }
              lines.add("<sshd exited>");
            },
            "sshd-output");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      String l = lines.poll(30, TimeUnit.SECONDS);
      if (l == null || l.equals("<sshd exited>")) {
        throw new AssertionError("sshd did not start listening; its output:\n" + log());
      }
      if (l.contains("Server listening on 127.0.0.1 port " + port)) {
        return;
      }
    }
  }

  int port() {
    return port;
  }

  /** A known_hosts file holding this server's host key, for {@code StrictHostKeyChecking=yes}. */
  Path knownHosts() throws IOException {
    Path k = dir.resolve("known_hosts");
    String hostKey = Files.readString(dir.resolve("host_ed25519.pub")).strip();
    Files.writeString(k, "[127.0.0.1]:" + port + " " + hostKey + "\n");
    return k;
  }

  String log() {
    return String.join("\n", log);
  }

  /** Creates an ed25519 key pair without passphrase at {@code key} and {@code key.pub}. */
  static String keygen(Path key) throws Exception {
    Result r =
        DaemonProcessHarness.run(
            List.of(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "zrepl-test",
                "-f",
                key.toString()));
    if (r.code() != 0) {
      throw new AssertionError("ssh-keygen failed: " + r.out());
    }
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }
}
