package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.Job.Pull;
import org.zrepl.app.config.Job.Source;
import org.zrepl.app.remote.Transports;
import org.zrepl.app.testing.RecordingCommandRunner;
import org.zrepl.app.testing.TestConfigs;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.FrameType;
import org.zrepl.transport.frame.FrameWriter;
import org.zrepl.transport.frame.Handshake;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * {@code zrepl signal reset} on a pull job whose source answers every request "not served" (at its
 * connection limit, forever): the reset ends the job's wait for the source at once, the run ends as
 * aborted by the reset (not as a transport error), and the source sees no request after the reset.
 * Real time and threads (the client's pauses are real), so an IT; no ZFS.
 */
class ResetEndsNotServedWaitIT {

  private static final String YAML =
      """
      jobs:
      - name: laptop
        type: source
        serve: { type: local, listener_name: laptop }
        filesystems: { "src/a": true }
        snapshotting: { type: manual }
      - name: puller
        type: pull
        connect: { type: local, listener_name: laptop, client_identity: backups }
        root_fs: backups
        interval: manual
        pruning:
          keep_sender: [ { type: regex, regex: "." } ]
          keep_receiver: [ { type: regex, regex: "." } ]
      """;

  private final Clock clock = Clock.systemUTC();
  private final Transports transports = org.zrepl.app.TestAdapters.transports(clock);
  private final InMemoryZfs backup = new InMemoryZfs(ZfsCapabilities.zfsFuse(), clock, 2);
  private ActiveJobRuntime pulling;
  private RefusingServer source;

  @AfterEach
  void stop() throws IOException {
    if (pulling != null) {
      pulling.stop();
    }
    if (source != null) {
      source.close();
    }
  }

  @Test
  void aResetEndsTheWaitForABusySourceAtOnceAndTheRunEndsAsAborted() throws Exception {
    backup.createPool("backups");
    Listener listener = transports.listener(((Source) TestConfigs.job(YAML, "laptop")).serve());
    pulling =
        ActiveJobRuntime.pull(
            (Pull) TestConfigs.job(YAML, "puller"),
            new ActiveSides(
                org.zrepl.app.TestAdapters.deps(backup, new RecordingCommandRunner(), clock)),
            transports,
            clock);
    // The second refusal is answered, then the operator resets: the client is in (or about to
    // start) its pause before the third try, which without the reset comes 0.25..0.5 s later.
    source = new RefusingServer(listener, 2, () -> pulling.reset());
    source.start();
    pulling.start();

    pulling.wakeup();

    assertThat(within(Duration.ofSeconds(20), () -> source.resetAt.get() != 0))
        .as("the source refused twice and the reset was sent; requests: %s", source.calls)
        .isTrue();
    assertThat(within(Duration.ofSeconds(2), () -> !pulling.status().state().equals("running")))
        .as("the run ended within 2 s of the reset: %s", pulling.status())
        .isTrue();
    long ended = System.nanoTime();
    assertThat(Duration.ofNanos(ended - source.resetAt.get())).isLessThan(Duration.ofSeconds(2));
    JobStatus status = pulling.status();
    assertThat(status.errors())
        .as("the run ended as aborted by the reset")
        .contains("replication: aborted: reset by the operator (zrepl signal reset)")
        .noneMatch(e -> e.contains("not served") || e.contains("busy"));
    // The client would have tried again after at most 0.5 s, then 1 s: give it that long.
    assertThat(within(Duration.ofMillis(1500), () -> source.afterReset.get() > 0)).isFalse();
    assertThat(source.afterReset.get())
        .as("requests the source read after the reset; all: %s", source.calls)
        .isZero();
    assertThat(source.calls).hasSize(2);
  }

  private static boolean within(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /**
   * A source at its connection limit forever: after the handshake it reads each request and answers
   * it "not served" (as a server at its limit does), then closes. After answering request number
   * {@code resetAfter} it runs {@code reset} on its own thread (so that the reset comes while the
   * client is between tries) and counts every request read from then on.
   */
  private static final class RefusingServer implements AutoCloseable {
    private static final byte[] NOT_SERVED =
        ("{\"error\":{\"notServed\":true,\"type\":\"CONNECT\",\"message\":\"the test source"
                + " refuses the connection: at its limit; try again later\",\"temporary\":true}}")
            .getBytes(StandardCharsets.UTF_8);

    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicLong resetAt = new AtomicLong();
    final AtomicInteger afterReset = new AtomicInteger();
    private final Listener listener;
    private final int resetAfter;
    private final Runnable reset;
    private final Thread thread;

    RefusingServer(Listener listener, int resetAfter, Runnable reset) {
      this.listener = listener;
      this.resetAfter = resetAfter;
      this.reset = reset;
      this.thread = new Thread(this::acceptLoop, "refusing-source");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void acceptLoop() {
      while (true) {
        Listener.Accepted a;
        try {
          a = listener.accept();
        } catch (IOException e) {
          return; // closed
        }
        try (Connection c = a.connection()) {
          refuse(c);
        } catch (IOException e) {
          // the client went away: next
        }
      }
    }

    private void refuse(Connection c) throws IOException {
      InputStream in = new BufferedInputStream(c.in());
      OutputStream out = new BufferedOutputStream(c.out());
      Handshake.exchange(in, out);
      FrameReader reader = new FrameReader(in);
      Frame f = reader.nextControl();
      if (f == null || f.type() != FrameType.HEADER) {
        return;
      }
      if (resetAt.get() != 0) {
        afterReset.incrementAndGet();
      }
      calls.add(new String(f.payload(), StandardCharsets.UTF_8));
      new FrameWriter(out).header(NOT_SERVED, true);
      if (calls.size() == resetAfter) {
        resetAt.set(System.nanoTime());
        reset.run();
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
