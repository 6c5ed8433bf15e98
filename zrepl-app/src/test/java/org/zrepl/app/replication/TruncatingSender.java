package org.zrepl.app.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;

/**
 * A {@link Sender} whose next stream ends early after {@code cutAfter} bytes, as when a connection
 * drops: the receiver sees an incomplete stream; the real {@code zfs send} is aborted.
 */
public final class TruncatingSender implements Sender {

  private final Sender delegate;
  private long cutAfter;

  public TruncatingSender(Sender delegate, long cutAfter) {
    this.delegate = delegate;
    this.cutAfter = cutAfter;
  }

  /** Whether the stream was cut already. */
  public synchronized boolean hasCut() {
    return cutAfter < 0;
  }

  @Override
  public Set<Guarantee> guarantees() {
    return delegate.guarantees();
  }

  @Override
  public List<SenderFilesystem> listFilesystems() {
    return delegate.listFilesystems();
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    return delegate.listVersions(filesystems);
  }

  @Override
  public synchronized SendStepResponse send(SendStepRequest request) {
    SendStepResponse r = delegate.send(request);
    if (cutAfter < 0) {
      return r;
    }
    long limit = cutAfter;
    cutAfter = -1;
    return r.withStream(new Truncated(r.stream(), limit));
  }

  @Override
  public OptionalLong estimateSize(SendStepRequest request) {
    return delegate.estimateSize(request);
  }

  @Override
  public void sendCompleted(SendCompletedRequest request) {
    delegate.sendCompleted(request);
  }

  @Override
  public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
    delegate.destroySnapshots(filesystem, snapshots);
  }

  private static final class Truncated extends FilterInputStream {
    private long left;

    Truncated(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
