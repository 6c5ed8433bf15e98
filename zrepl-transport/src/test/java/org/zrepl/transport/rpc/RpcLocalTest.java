package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.B1;
import static org.zrepl.transport.rpc.TestEndpoints.S1;
import static org.zrepl.transport.rpc.TestEndpoints.S2;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveRefusedException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/** The RPC over the in-process transport: every call, both stream directions, early failures. */
class RpcLocalTest {
  private final TestEndpoints endpoints = new TestEndpoints();
  private final LocalListener listener = new LocalListener("sink");
  private final RpcServer server = new RpcServer(listener, endpoints).start();
  private final RpcClient client =
      new RpcClient(new LocalConnector(listener, new ClientIdentity("laptop")));
  private final RemoteSender sender = new RemoteSender(client);
  private final RemoteReceiver receiver = new RemoteReceiver(client);

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void senderCallsRoundTrip() {
    assertThat(sender.guarantees())
        .containsExactlyInAnyOrder(Guarantee.RESUMABILITY, Guarantee.SENDER_STEP_HOLDS);
    assertThat(sender.listFilesystems())
        .containsExactly(new SenderFilesystem(A, false), new SenderFilesystem(A.child("p"), true));
    assertThat(sender.listVersions(List.of(A))).isEqualTo(Map.of(A, List.of(B1, S1, S2)));
    SendStepRequest req = new SendStepRequest(A, STEP, Optional.of("1-tok"));
    assertThat(sender.estimateSize(SendStepRequest.of(A, STEP))).hasValue(12345);
    assertThat(sender.estimateSize(req)).isEmpty();
    sender.sendCompleted(new SendCompletedRequest(A, STEP, true));
    sender.destroySnapshots(A, List.of(S1, S2));
    assertThat(endpoints.calls)
        .contains(
            "estimateSize " + req,
            "sendCompleted " + new SendCompletedRequest(A, STEP, true),
            "destroySnapshots pool/a " + List.of(S1, S2));
    DatasetPath secret = DatasetPath.of("pool/secret");
    assertThatThrownBy(() -> sender.destroySnapshots(secret, List.of(S1)))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessage("filesystem pool/secret is not served");
    assertThat(endpoints.clients).allMatch(c -> c.name().equals("laptop"));
  }

  @Test
  void receiverCallsRoundTrip() {
    DatasetPath b = DatasetPath.of("pool/b");
    Map<DatasetPath, ReceiverFilesystem> fss = receiver.listFilesystems(List.of(A, b));
    assertThat(fss.get(A))
        .isEqualTo(
            new ReceiverFilesystem(
                A, DatasetPath.of("sink/c/pool/a"), true, false, Optional.of("1-abc-def")));
    assertThat(fss.get(b))
        .isEqualTo(ReceiverFilesystem.missing(b, DatasetPath.of("sink/c/pool/b")));
    assertThat(receiver.listVersions(List.of(A))).isEqualTo(Map.of(A, List.of(S1)));
    assertThat(receiver.resumeToken(A)).hasValue("1-abc-def");
    assertThat(receiver.resumeToken(b)).isEmpty();
    receiver.destroySnapshots(A, List.of(S1));
    receiver.rollback(A, S1, List.of(S2));
    assertThat(endpoints.calls)
        .contains(
            "r.destroySnapshots pool/a " + List.of(S1),
            "r.rollback pool/a " + S1 + " " + List.of(S2));
    assertThat(receiver.guarantees()).isEmpty();
  }

  @Test
  void exceptionsKeepTheirTypeMessageAndTemporariness() {
    assertThatThrownBy(() -> sender.listVersions(List.of(DatasetPath.of("pool/secret"))))
        .isInstanceOf(FilesystemNotFoundException.class)
        .hasMessage("filesystem pool/secret is not served")
        .satisfies(
            e ->
                assertThat(((FilesystemNotFoundException) e).filesystem())
                    .isEqualTo(DatasetPath.of("pool/secret")));
    endpoints.listFailure = new VersionMismatchException("guid of @s1 changed");
    assertThatThrownBy(sender::listFilesystems)
        .isInstanceOf(VersionMismatchException.class)
        .hasMessage("guid of @s1 changed");
    endpoints.listFailure = new EndpointException("zfs list timed out", true);
    assertThatThrownBy(sender::listFilesystems)
        .isExactlyInstanceOf(EndpointException.class)
        .hasMessage("zfs list timed out")
        .satisfies(e -> assertThat(((EndpointException) e).isTemporary()).isTrue());
    // The connection is still usable after remote errors.
    endpoints.listFailure = null;
    assertThat(sender.listFilesystems()).hasSize(2);
  }

  @Test
  void pushCarriesTheStreamInTheRequest() {
    long size = 5_000_003;
    receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(size));
    assertThat(endpoints.received).isEqualTo(size);
    assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(size));
    // the connection is back in sync for the next call
    receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(10));
    assertThat(endpoints.received).isEqualTo(10);
  }

  @Test
  void aReceiverFailingEarlyStopsThePushAndItsErrorReachesTheClient() {
    endpoints.receiveFailAfter = 1 << 20;
    endpoints.receiveFailure =
        new ReceiveRefusedException(
            "cannot receive: destination sink/c/pool/a has been modified", null);
    PatternStream huge = new PatternStream(1L << 40); // a terabyte: never read to its end
    assertThatThrownBy(() -> receiver.receive(ReceiveStepRequest.of(A, STEP), huge))
        .isInstanceOf(ReceiveRefusedException.class)
        .hasMessage("cannot receive: destination sink/c/pool/a has been modified");
    // Stopped promptly: what was read is the receiver's megabyte plus what was in flight
    // (two 1 MiB pipes, a frame or two).
    assertThat(huge.read.get()).isLessThan(8L << 20);
    endpoints.receiveFailAfter = -1;
    receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(77));
    assertThat(endpoints.received).isEqualTo(77);
  }

  @Test
  void aSendStreamFailingOnThePushingSideReachesTheReceiverAsAReset() {
    PatternStream failing = new PatternStream(300_000, new IOException("zfs send: exit 1"));
    assertThatThrownBy(() -> receiver.receive(ReceiveStepRequest.of(A, STEP), failing))
        .isInstanceOf(StreamFailedException.class)
        .hasMessageContaining("stream aborted by the peer")
        .hasMessageContaining("zfs send: exit 1");
    receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(5));
    assertThat(endpoints.received).isEqualTo(5);
  }

  @Test
  void pullCarriesTheStreamInTheResponse() throws IOException {
    long size = 3_000_001;
    endpoints.sendStream = r -> new PatternStream(size);
    SendStepResponse resp = sender.send(SendStepRequest.of(A, STEP));
    assertThat(resp.resumed()).isFalse();
    assertThat(resp.expectedSize()).isEqualTo(OptionalLong.of(size));
    assertThat(crc(resp.stream())).isEqualTo(PatternStream.crcOf(size));
    resp.stream().close();
    assertThat(endpoints.lastSent.closed).isTrue();
    assertThat(sender.listFilesystems()).hasSize(2);
  }

  @Test
  void aPulledStepSaysWhetherItsStreamIsEncryptedOrThatItDoesNotKnow() throws IOException {
    for (SendStepResponse.Encryption e : SendStepResponse.Encryption.values()) {
      endpoints.encryption = e;
      SendStepResponse resp = sender.send(SendStepRequest.of(A, STEP));
      crc(resp.stream());
      resp.stream().close();
      assertThat(resp.encryption()).as("sent %s", e).isEqualTo(e);
    }
  }

  @Test
  void closingAPulledStreamEarlyStopsTheServersSend() throws IOException {
    endpoints.sendStream = r -> new PatternStream(1L << 40);
    SendStepResponse resp = sender.send(SendStepRequest.of(A, STEP));
    byte[] b = new byte[1000];
    assertThat(resp.stream().read(b)).isPositive();
    resp.stream().close(); // throws nothing: an abort
    assertThat(endpoints.lastSent.closed).isTrue();
    assertThat(endpoints.lastSent.read.get()).isLessThan(16L << 20);
    assertThat(sender.listFilesystems()).hasSize(2);
  }

  @Test
  void aFailingSendIsReportedWhenThePulledStreamIsClosed() throws IOException {
    endpoints.sendStream =
        r -> new PatternStream(1000, new IOException("zfs send: cannot hold: dataset busy"));
    SendStepResponse resp = sender.send(SendStepRequest.of(A, STEP));
    crc(resp.stream());
    assertThatThrownBy(() -> resp.stream().close())
        .isInstanceOf(StreamFailedException.class)
        .hasMessageContaining("zfs send: cannot hold: dataset busy");
    assertThat(sender.listFilesystems()).hasSize(2);
  }

  @Test
  void callsOfTheSideNotServedAreRefused() {
    endpoints.serveReceiver = false;
    assertThatThrownBy(
            () -> receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(3 << 20)))
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "client 'laptop' may not call receiver.receive: nothing is served to it as a sink")
        .satisfies(
            e -> {
              assertThat(((TransportException) e).kind())
                  .isEqualTo(TransportException.Kind.ACCESS_DENIED);
              assertThat(((TransportException) e).isTemporary()).isFalse();
            });
    assertThat(sender.listFilesystems()).hasSize(2);
  }

  @Test
  void hostileDatasetNamesAreRefusedAsBadRequests() {
    com.fasterxml.jackson.databind.node.ObjectNode args =
        Json.F.objectNode().put("filesystem", "pool/../etc");
    assertThatThrownBy(() -> client.call("receiver.resumeToken", args))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("pool/../etc")
        .satisfies(
            e ->
                assertThat(((TransportException) e).kind())
                    .isEqualTo(TransportException.Kind.BAD_REQUEST));
    assertThatThrownBy(() -> client.call("receiver.explode", args))
        .isInstanceOf(TransportException.class)
        .hasMessage("unknown call 'receiver.explode'");
    assertThat(endpoints.calls).isEmpty();
    assertThat(receiver.resumeToken(A)).hasValue("1-abc-def");
  }

  static long crc(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] b = new byte[50_000];
    int n;
    while ((n = in.read(b)) > 0) {
      crc.update(b, 0, n);
    }
    return crc.getValue();
  }
}
