package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.app.config.Config;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.LoadResult;
import org.zrepl.app.remote.Transports;
import org.zrepl.transport.tls.TestPki;

/**
 * {@code connect.dial_timeout} of the tcp and tls transports, from the configuration to the
 * connector: a peer that does not answer fails the dial after the configured time, not after the
 * default 10s. Real sockets, so an IT.
 */
class ConnectTimeoutsIT {

  @TempDir Path dir;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static Job.Push push(String connect) {
    String yaml =
        """
        jobs:
        - name: p
          type: push
          connect: %s
          filesystems: { "pool<": true }
          snapshotting: { type: manual }
          pruning: { keep_sender: [], keep_receiver: [] }
        """
            .formatted(connect);
    LoadResult r = ConfigLoader.parse("zrepl.yml", yaml, Path.of("."));
    assertThat(r).isInstanceOf(LoadResult.Valid.class);
    Config c = ((LoadResult.Valid) r).config();
    return (Job.Push) c.jobs().get(0);
  }

  /** How long dialing took until it failed with a timeout, in milliseconds. */
  private static long failedDialMillis(Job.Push job, String message) {
    Transports transports =
        new Transports(new org.zrepl.transport.wires.NetworkWires(Clock.systemUTC()));
    long start = System.nanoTime();
    assertThatThrownBy(() -> transports.connector(job.connect()).connect().close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(message);
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /**
   * A listener whose accept queue is full: the kernel drops further connection attempts, so a dial
   * hangs until its timeout, as with a peer behind a firewall that drops packets.
   */
  private InetSocketAddress fullListener() throws IOException {
    ServerSocket server = new ServerSocket();
    open.add(server);
    server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1);
    InetSocketAddress at =
        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort());
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      open.add(s);
      try {
        s.connect(at, 200);
      } catch (SocketTimeoutException e) {
        return at; // the queue is full now
      }
    }
    throw new IllegalStateException("the accept queue of " + at + " never filled");
  }

  @Test
  void aTcpDialTimesOutAfterTheConfiguredDialTimeout() throws IOException {
    InetSocketAddress at = fullListener();
    long millis =
        failedDialMillis(
            push("{type: tcp, address: '127.0.0.1:" + at.getPort() + "', dial_timeout: 700ms}"),
            "timed out after 700 ms");
    assertThat(millis).isBetween(600L, 5_000L);
  }

  @Test
  void aTlsDialTimesOutAfterTheConfiguredDialTimeoutWhenThePeerNeverHandshakes()
      throws IOException {
    ServerSocket silent = new ServerSocket();
    open.add(silent);
    silent.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    Thread acceptor =
        new Thread(
            () -> {
              try {
                open.add(silent.accept()); // accepts, and never says a word
              } catch (IOException e) {
                // closed by the test
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    TestPki pki = TestPki.create("dial timeout test CA");
    Path ca = pki.writeCa(dir.resolve("ca.crt"));
    TestPki.Issued client = pki.issue(dir, "client");
    long millis =
        failedDialMillis(
            push(
                "{type: tls, address: '127.0.0.1:"
                    + silent.getLocalPort()
                    + "', ca: '"
                    + ca
                    + "', cert: '"
                    + client.cert()
                    + "', key: '"
                    + client.key()
                    + "', server_cn: backup, dial_timeout: 700ms}"),
            "did not finish within dial_timeout PT0.7S");
    assertThat(millis).isBetween(600L, 5_000L);
  }
}
