package org.zrepl.transport.rpc;

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

/** A sender passing every call on; tests override what they change. */
class ForwardingSender implements Sender {
  private final Sender delegate;

  ForwardingSender(Sender delegate) {
    this.delegate = delegate;
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
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(Collection<DatasetPath> fss) {
    return delegate.listVersions(fss);
  }

  @Override
  public SendStepResponse send(SendStepRequest request) {
    return delegate.send(request);
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
}
