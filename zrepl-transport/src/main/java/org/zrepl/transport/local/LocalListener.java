package org.zrepl.transport.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Listener;

/**
 * The {@code local} transport's serving end: an in-process listener that {@link LocalConnector}s of
 * the same daemon (or test) dial by handing it one end of a pair of {@link BytePipe}s. The client
 * identity is the one the connecting job declares ({@code client_identity}).
 */
public final class LocalListener implements Listener {
  /** Bytes buffered in each direction of a local connection. */
  static final int PIPE_CAPACITY = 1 << 20;

  private static final Listener.Accepted CLOSED =
      new Listener.Accepted(new PipeConnection("closed", null, null), new ClientIdentity("closed"));

  private final String name;
  private final LinkedBlockingQueue<Listener.Accepted> pending = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  public LocalListener(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  /** Called by a connector: queues the server's end, returns the client's. */
  Connection dial(ClientIdentity identity) throws IOException {
    if (closed) {
      throw new IOException("local listener '" + name + "' is not listening");
    }
    BytePipe toServer = new BytePipe(PIPE_CAPACITY);
    BytePipe toClient = new BytePipe(PIPE_CAPACITY);
    String what = "local '" + name + "' (" + identity + ")";
    pending.add(
        new Listener.Accepted(new PipeConnection(what, toServer.in, toClient.out), identity));
    return new PipeConnection(what, toClient.in, toServer.out);
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // CLOSED is a sentinel compared by identity
  public Listener.Accepted accept() throws IOException {
    Listener.Accepted a;
    try {
      a = pending.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while accepting on " + describe());
    }
    if (a == CLOSED || closed) {
      pending.add(CLOSED);
      throw new IOException(describe() + " is closed");
    }
    return a;
  }

  @Override
  public String describe() {
    return "local listener '" + name + "'";
  }

  @Override
  public void close() {
    closed = true;
    pending.add(CLOSED);
  }

  /** One end of an in-process connection. */
  private record PipeConnection(String describe, InputStream in, OutputStream out)
      implements Connection {
    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
      if (out != null) {
        out.close();
      }
    }
  }
}
