package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.S1;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.ServerLimits;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/**
 * A pooled connection the server closed while it sat idle (here: evicted to admit another
 * connection of the same client at the per-client limit, as a source does when a killed run's
 * connections still count): the next call must not fail on it. The fault campaign found this as
 * {@code call sender.listVersions ... failed: Stream closed} in a prune after replication.
 */
class RpcReconnectTest {
  private final TestEndpoints endpoints = new TestEndpoints();
  private final LocalListener listener = new LocalListener("source");
  private final RpcServer server =
      new RpcServer(listener, endpoints, ServerLimits.DEFAULTS.withMaxPerClient(1)).start();
  private final RpcClient client = client();
  private final RemoteSender sender = new RemoteSender(client);
  private final RemoteReceiver receiver = new RemoteReceiver(client);

  private RpcClient client() {
    return new RpcClient(new LocalConnector(listener, new ClientIdentity("laptop")));
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
  }

  /**
   * Another connection of the same identity makes the server close our idle one. The server marks a
   * connection idle just after it sent the answer, so a newcomer may briefly be refused.
   */
  private void evictOurIdleConnection() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try (RpcClient other = client()) {
        assertThat(new RemoteSender(other).listFilesystems()).hasSize(2);
      } catch (TransportException e) {
        if (attempt == 100 || !e.getMessage().contains("refuses the connection")) {
          throw e;
        }
        Thread.sleep(10);
        continue;
      }
      // ours was closed to admit the other; wait until the other's close was noticed too, so that
      // the limit of one leaves room for the new connection the next call needs
      for (int i = 0; server.connectionCount() > 0; i++) {
        assertThat(i).as("connections still served").isLessThan(500);
        Thread.sleep(10);
      }
      return;
    }
  }

  @Test
  void aReadOnlyCallOnAConnectionClosedWhileIdleIsRetriedOnANewOne() throws Exception {
    assertThat(sender.listFilesystems()).hasSize(2); // the connection goes to the idle pool
    evictOurIdleConnection();
    assertThat(sender.listVersions(List.of(A))).containsKey(A);
    evictOurIdleConnection();
    assertThat(receiver.listFilesystems(List.of(A))).containsKey(A);
    evictOurIdleConnection();
    assertThat(receiver.resumeToken(A)).hasValue("1-abc-def");
  }

  @Test
  void aChangingCallChecksAReusedConnectionFirstAndRunsExactlyOnce() throws Exception {
    assertThat(sender.listFilesystems()).hasSize(2);
    evictOurIdleConnection();
    sender.destroySnapshots(A, List.of(S1));
    assertThat(endpoints.calls).containsOnlyOnce("destroySnapshots pool/a " + List.of(S1));
    // a connection that stayed alive is reused after its probe
    sender.destroySnapshots(A, List.of(S1));
    assertThat(endpoints.calls.stream().filter(c -> c.startsWith("destroySnapshots"))).hasSize(2);
  }

  @Test
  void streamsInBothDirectionsGoOutOnceOnANewConnection() throws Exception {
    assertThat(receiver.listFilesystems(List.of(A))).containsKey(A);
    evictOurIdleConnection();
    receiver.receive(ReceiveStepRequest.of(A, STEP), new PatternStream(100_003));
    assertThat(endpoints.received).isEqualTo(100_003);
    assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(100_003));
    assertThat(endpoints.calls.stream().filter(c -> c.startsWith("r.receive"))).hasSize(1);

    evictOurIdleConnection();
    SendStepResponse r = sender.send(SendStepRequest.of(A, STEP));
    assertThat(RpcLocalTest.crc(r.stream())).isEqualTo(PatternStream.crcOf(1000));
    r.stream().close();
    assertThat(endpoints.calls.stream().filter(c -> c.startsWith("send "))).hasSize(1);
  }
}
