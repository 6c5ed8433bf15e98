package org.zrepl.transport.stdinserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;

/**
 * The {@code ssh+stdinserver} transport's dialing end: each connection is an {@code ssh} process
 * whose stdin and stdout carry the RPC. On the peer, sshd runs {@code zrepl stdinserver IDENTITY}
 * as the key's forced command, which hands those pipes to the peer's daemon.
 *
 * <p>{@link #connect} returns once the peer's daemon has sent its first byte (its handshake), so
 * {@code dial_timeout} covers the tcp connect, ssh authentication and the hand-over; a peer that
 * stays silent that long is killed. What ssh prints on stderr goes to the log, and its last lines
 * into the error when it dies.
 */
public final class SshConnector implements Connector {

  /**
   * Run if the key is <em>not</em> restricted to a forced command: says so instead of opening a
   * shell that would read our frames as commands.
   */
  static final String NO_FORCED_COMMAND =
      "echo 'zrepl: the ssh key is not restricted to command=\"zrepl stdinserver IDENTITY\""
          + " in authorized_keys' >&2; exit 1";

  private final String ssh;
  private final String host;
  private final String user;
  private final int port;
  private final Path identityFile;
  private final List<String> options;
  private final Duration dialTimeout;

  /**
   * @param ssh the ssh executable ({@code ssh}, found on {@code PATH}, or a path)
   * @param options each becomes {@code -o OPTION}
   */
  public SshConnector(
      String ssh,
      String host,
      String user,
      int port,
      Path identityFile,
      List<String> options,
      Duration dialTimeout) {
    this.ssh = Objects.requireNonNull(ssh, "ssh");
    this.host = Objects.requireNonNull(host, "host");
    this.user = Objects.requireNonNull(user, "user");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    this.port = port;
    this.identityFile = Objects.requireNonNull(identityFile, "identityFile");
    this.options = List.copyOf(options);
    this.dialTimeout = Objects.requireNonNull(dialTimeout, "dialTimeout");
    if (dialTimeout.isNegative() || dialTimeout.isZero()) {
      throw new IllegalArgumentException("dial_timeout must be positive, got " + dialTimeout);
    }
    if (host.startsWith("-") || user.startsWith("-") || user.contains("@")) {
      throw new IllegalArgumentException(
          "ssh host and user must not start with '-' (or the user contain '@'), got user '"
              + user
              + "' host '"
              + host
              + "'");
    }
  }

  /** The ssh command line of a connection. */
  List<String> argv() {
    List<String> a = new ArrayList<>();
    a.add(ssh);
    a.add("-T");
    a.addAll(List.of("-o", "BatchMode=yes"));
    a.addAll(List.of("-o", "ConnectTimeout=" + Math.max(1, dialTimeout.toSeconds())));
    a.addAll(List.of("-i", identityFile.toString()));
    a.addAll(List.of("-p", Integer.toString(port)));
    for (String o : options) {
      a.addAll(List.of("-o", o));
    }
    a.add(user + "@" + host);
    a.add(NO_FORCED_COMMAND);
    return a;
  }

  @Override
  public Connection connect() throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(argv()).start();
    } catch (IOException e) {
      throw new IOException(describe() + ": cannot start " + ssh + ": " + e.getMessage(), e);
    }
    SshProcess proc = new SshProcess(p, describe());
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> watchdog =
        Watchdog.TIMER.schedule(
            () -> {
              timedOut.set(true);
              proc.killNow();
            },
            dialTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
    int first;
    try {
      first = p.getInputStream().read();
    } catch (IOException e) {
      first = -1;
    } finally {
      watchdog.cancel(false);
    }
    if (first < 0) {
      String why =
          timedOut.get()
              ? "the peer did not answer within dial_timeout " + dialTimeout.toMillis() + " ms"
              : proc.death();
      proc.kill();
      throw new IOException(describe() + ": " + why + proc.stderrTail());
    }
    InputStream in =
        new SequenceInputStream(
            new java.io.ByteArrayInputStream(new byte[] {(byte) first}), proc.stdout());
    return new SshConnection(proc, in, p.getOutputStream());
  }

  @Override
  public String describe() {
    return "ssh+stdinserver " + user + "@" + host + ":" + port;
  }

  /** The shared timer of the dial watchdogs. */
  private static final class Watchdog {
    static final ScheduledExecutorService TIMER =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ssh-dial-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** An ssh process as a connection; closing it ends (and if need be kills) the process. */
  private record SshConnection(SshProcess proc, InputStream in, OutputStream out)
      implements Connection {
    @Override
    public InputStream in() {
      return in;
    }

    @Override
    public OutputStream out() {
      return out;
    }

    @Override
    public String describe() {
      return proc.describe();
    }

    @Override
    public void close() {
      proc.close();
    }
  }
}
