package org.zrepl.transport.rpc;

import java.io.IOException;
import java.io.InputStream;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.StreamFailedException;

/**
 * The stream a server sends in its response (pull), as {@link
 * org.zrepl.port.endpoint.SendStepResponse} promises it: closing after the end reports the sender's
 * outcome (the trailer's error, thrown); closing before the end sends a reset, which stops the
 * server's {@code zfs send}, discards what is still in flight and throws nothing.
 */
final class RemoteStream extends InputStream {
  private final RpcClient client;
  private final Wire wire;
  private final String call;
  private final DataFrameInputStream in;
  private IOException broken;
  private boolean closed;

  RemoteStream(RpcClient client, Wire wire, String call) {
    this.client = client;
    this.wire = wire;
    this.call = call;
    this.in = new DataFrameInputStream(wire.reader);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream of " + call + " is closed");
    }
    try {
      return in.read(b, off, len);
    } catch (DataFrameInputStream.StreamResetException e) {
      throw e;
    } catch (IOException e) {
      broken = e;
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (broken != null) {
      wire.close(ConnectionCloses.of(broken));
      return;
    }
    boolean reachedEnd = in.ended();
    if (!reachedEnd) {
      try {
        wire.writer.reset(RpcClient.reset("the receiving side closed the stream early"));
        in.drain();
      } catch (IOException e) {
        wire.close(ConnectionCloses.of(e));
        return;
      }
    }
    client.release(wire);
    if (!reachedEnd) {
      return;
    }
    if (in.resetReason() != null) {
      throw new StreamFailedException(
          "the sender aborted the stream of " + call + ": " + in.resetReason(), null);
    }
    if (in.trailer().has("error")) {
      EndpointException e = RemoteErrors.decode(in.trailer().get("error"));
      throw e;
    }
  }
}
