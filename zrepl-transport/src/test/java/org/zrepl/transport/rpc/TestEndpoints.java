package org.zrepl.transport.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;

/**
 * Scriptable endpoints behind a test server: a sender whose streams are {@link PatternStream}s and
 * a receiver that checksums what it receives. Each records the calls it got.
 */
final class TestEndpoints implements Endpoints {
  static final DatasetPath A = DatasetPath.of("pool/a");
  static final FilesystemVersion S1 =
      FilesystemVersion.snapshot("s1", -2L, 10, Instant.parse("2026-01-01T00:00:00Z"));
  static final FilesystemVersion S2 =
      FilesystemVersion.snapshot("s2", 42L, 20, Instant.parse("2026-01-02T00:00:00Z"));
  static final FilesystemVersion B1 =
      FilesystemVersion.bookmark("b1", 7L, 5, Instant.parse("2025-12-31T00:00:00Z"));
  static final Step STEP = new Step(Optional.of(S1), S2, List.of());

  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<ClientIdentity> clients = new CopyOnWriteArrayList<>();
  volatile boolean serveSender = true;
  volatile boolean serveReceiver = true;

  /** What {@code send} answers with. */
  volatile Function<SendStepRequest, PatternStream> sendStream = r -> new PatternStream(1000);

  volatile SendStepResponse.Encryption encryption = SendStepResponse.Encryption.UNKNOWN;

  volatile PatternStream lastSent;

  /** Bytes after which {@code receive} fails with {@link #receiveFailure}; -1 never. */
  volatile long receiveFailAfter = -1;

  volatile EndpointException receiveFailure;
  volatile long received;
  volatile long receivedCrc;
  volatile RuntimeException listFailure;

  /** What the sender lists; null: pool/a and its placeholder child pool/a/p. */
  volatile List<SenderFilesystem> senderFilesystems;

  @Override
  public Optional<Sender> sender(ClientIdentity client) {
    clients.add(client);
    return serveSender ? Optional.of(sender) : Optional.empty();
  }

  @Override
  public Optional<Receiver> receiver(ClientIdentity client) {
    clients.add(client);
    return serveReceiver ? Optional.of(receiver) : Optional.empty();
  }

  final Sender sender =
      new Sender() {
        @Override
        public Set<Guarantee> guarantees() {
          calls.add("guarantees");
          return EnumSet.of(Guarantee.RESUMABILITY, Guarantee.SENDER_STEP_HOLDS);
        }

        @Override
        public List<SenderFilesystem> listFilesystems() {
          calls.add("listFilesystems");
          if (listFailure != null) {
            throw listFailure;
          }
          List<SenderFilesystem> l = senderFilesystems;
          return l != null
              ? l
              : List.of(new SenderFilesystem(A, false), new SenderFilesystem(A.child("p"), true));
        }

        @Override
        public Map<DatasetPath, List<FilesystemVersion>> listVersions(
            Collection<DatasetPath> filesystems) {
          calls.add("listVersions " + filesystems);
          Map<DatasetPath, List<FilesystemVersion>> m = new LinkedHashMap<>();
          for (DatasetPath p : filesystems) {
            if (!p.equals(A)) {
              throw new FilesystemNotFoundException(p, "filesystem " + p + " is not served", null);
            }
            m.put(p, List.of(B1, S1, S2));
          }
          return m;
        }

        @Override
        public SendStepResponse send(SendStepRequest request) {
          calls.add("send " + request);
          PatternStream s = sendStream.apply(request);
          lastSent = s;
          return new SendStepResponse(s, request.isResume(), OptionalLong.of(s.size), encryption);
        }

        @Override
        public OptionalLong estimateSize(SendStepRequest request) {
          calls.add("estimateSize " + request);
          return request.isResume() ? OptionalLong.empty() : OptionalLong.of(12345);
        }

        @Override
        public void sendCompleted(SendCompletedRequest request) {
          calls.add("sendCompleted " + request);
        }

        @Override
        public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
          calls.add("destroySnapshots " + filesystem + " " + snapshots);
          if (!filesystem.equals(A)) {
            throw new FilesystemNotFoundException(
                filesystem, "filesystem " + filesystem + " is not served", null);
          }
        }
      };

  final Receiver receiver =
      new Receiver() {
        @Override
        public Set<Guarantee> guarantees() {
          return EnumSet.noneOf(Guarantee.class);
        }

        @Override
        public Map<DatasetPath, ReceiverFilesystem> listFilesystems(
            Collection<DatasetPath> senderFilesystems) {
          calls.add("r.listFilesystems " + senderFilesystems);
          Map<DatasetPath, ReceiverFilesystem> m = new LinkedHashMap<>();
          for (DatasetPath p : senderFilesystems) {
            DatasetPath local = DatasetPath.of("sink/c").append(p.components());
            m.put(
                p,
                p.equals(A)
                    ? new ReceiverFilesystem(p, local, true, false, Optional.of("1-abc-def"))
                    : ReceiverFilesystem.missing(p, local));
          }
          return m;
        }

        @Override
        public Map<DatasetPath, List<FilesystemVersion>> listVersions(
            Collection<DatasetPath> senderFilesystems) {
          calls.add("r.listVersions " + senderFilesystems);
          Map<DatasetPath, List<FilesystemVersion>> m = new LinkedHashMap<>();
          senderFilesystems.forEach(p -> m.put(p, List.of(S1)));
          return m;
        }

        @Override
        public Optional<String> resumeToken(DatasetPath senderFilesystem) {
          calls.add("r.resumeToken " + senderFilesystem);
          return senderFilesystem.equals(A) ? Optional.of("1-abc-def") : Optional.empty();
        }

        @Override
        public void receive(ReceiveStepRequest request, InputStream stream) {
          calls.add("r.receive " + request);
          CRC32 crc = new CRC32();
          byte[] b = new byte[100_000];
          long total = 0;
          try {
            int n;
            while ((n = stream.read(b)) > 0) {
              crc.update(b, 0, n);
              total += n;
              if (receiveFailAfter >= 0 && total >= receiveFailAfter) {
                received = total;
                throw receiveFailure;
              }
            }
          } catch (IOException e) {
            received = total;
            throw new StreamFailedException("receiving " + request.filesystem() + ": " + e, e);
          }
          received = total;
          receivedCrc = crc.getValue();
        }

        @Override
        public void destroySnapshots(
            DatasetPath senderFilesystem, List<FilesystemVersion> snapshots) {
          calls.add("r.destroySnapshots " + senderFilesystem + " " + snapshots);
        }

        @Override
        public void rollback(
            DatasetPath senderFilesystem, FilesystemVersion to, List<FilesystemVersion> destroyed) {
          calls.add("r.rollback " + senderFilesystem + " " + to + " " + destroyed);
        }
      };
}
