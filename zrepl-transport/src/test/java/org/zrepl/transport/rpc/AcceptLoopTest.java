package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zrepl.port.transport.Listener;

/** An Error in the accept loop is reported and survived; a broken listener is reported. */
class AcceptLoopTest {

  /** Throws what it is given, one per accept; an IOException ends the loop. */
  private static final class ScriptedListener implements Listener {
    final LinkedBlockingQueue<Throwable> script = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Integer> calls = new LinkedBlockingQueue<>();
    private int n;

    @Override
    public Accepted accept() throws IOException {
      calls.add(++n);
      Throwable t;
      try {
        t = script.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      if (t instanceof IOException io) {
        throw io;
      }
      throw (Error) t;
    }

    @Override
    public String describe() {
      return "scripted listener";
    }

    @Override
    public void close() {
      script.add(new SocketException("closed"));
    }
  }

  @Test
  void anOutOfMemoryErrorIsReportedAndTheLoopGoesOn() throws Exception {
    ScriptedListener l = new ScriptedListener();
    try (RpcServer s = new RpcServer(l, new TestEndpoints()).start()) {
      l.script.add(new OutOfMemoryError("Java heap space (test)"));
      assertThat(l.calls.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(l.calls.poll(5, TimeUnit.SECONDS)).as("accepting again").isEqualTo(2);
      assertThat(s.failure())
          .hasValueSatisfying(
              f ->
                  assertThat(f)
                      .contains("accept loop of scripted listener failed and was restarted")
                      .contains("OutOfMemoryError: Java heap space (test)"));
    }
  }

  @Test
  void aBrokenListenerIsReported() throws Exception {
    ScriptedListener l = new ScriptedListener();
    RpcServer s = new RpcServer(l, new TestEndpoints()).start();
    l.script.add(new IOException("socket gone"));
    assertThat(l.calls.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (s.failure().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(s.failure())
        .hasValueSatisfying(f -> assertThat(f).contains("accepting failed, no longer serving"));
    s.close();
  }
}
