package org.zrepl.app.remote;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.app.replication.TokenBucket;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;

/**
 * The serving side's bandwidth limits, as zrepl applies them in its endpoints: a {@code source}'s
 * {@code send.bandwidth_limit} paces the send streams it serves, a {@code sink}'s {@code
 * recv.bandwidth_limit} the streams it receives. One bucket per job, shared by all its clients.
 */
final class Throttled {

  private Throttled() {}

  static Sender sender(Sender s, Optional<TokenBucket> bucket) {
    return bucket.<Sender>map(b -> new ThrottledSender(s, b)).orElse(s);
  }

  static Receiver receiver(Receiver r, Optional<TokenBucket> bucket) {
    return bucket.<Receiver>map(b -> new ThrottledReceiver(r, b)).orElse(r);
  }

  private record ThrottledSender(Sender s, TokenBucket bucket) implements Sender {
    @Override
    public SendStepResponse send(SendStepRequest request) {
      SendStepResponse r = s.send(request);
      return r.withStream(bucket.throttle(r.stream()));
    }

    @Override
    public Set<Guarantee> guarantees() {
      return s.guarantees();
    }

    @Override
    public List<SenderFilesystem> listFilesystems() {
      return s.listFilesystems();
    }

    @Override
    public Map<DatasetPath, List<FilesystemVersion>> listVersions(
        Collection<DatasetPath> filesystems) {
      return s.listVersions(filesystems);
    }

    @Override
    public OptionalLong estimateSize(SendStepRequest request) {
      return s.estimateSize(request);
    }

    @Override
    public void sendCompleted(SendCompletedRequest request) {
      s.sendCompleted(request);
    }

    @Override
    public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
      s.destroySnapshots(filesystem, snapshots);
    }
  }

  private record ThrottledReceiver(Receiver r, TokenBucket bucket) implements Receiver {
    @Override
    public void receive(ReceiveStepRequest request, InputStream stream) {
      // Not closed here: the receiver does not close the stream it is given, nor do we.
      r.receive(request, bucket.throttle(stream));
    }

    @Override
    public Set<Guarantee> guarantees() {
      return r.guarantees();
    }

    @Override
    public Map<DatasetPath, ReceiverFilesystem> listFilesystems(
        Collection<DatasetPath> senderFilesystems) {
      return r.listFilesystems(senderFilesystems);
    }

    @Override
    public Map<DatasetPath, List<FilesystemVersion>> listVersions(
        Collection<DatasetPath> senderFilesystems) {
      return r.listVersions(senderFilesystems);
    }

    @Override
    public Optional<String> resumeToken(DatasetPath senderFilesystem) {
      return r.resumeToken(senderFilesystem);
    }

    @Override
    public void destroySnapshots(DatasetPath senderFilesystem, List<FilesystemVersion> snapshots) {
      r.destroySnapshots(senderFilesystem, snapshots);
    }

    @Override
    public void rollback(
        DatasetPath senderFilesystem, FilesystemVersion to, List<FilesystemVersion> destroyed) {
      r.rollback(senderFilesystem, to, destroyed);
    }
  }
}
