package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/**
 * Requests are bounded in size and large sinks still work: the client pages its filesystem lists,
 * the server refuses an oversized list with a message, and a reply that would not fit a header
 * frame is an error answer, not a dropped connection.
 */
class LargeRequestsTest {
  private final TestEndpoints endpoints = new TestEndpoints();
  private final LocalListener listener = new LocalListener("sink");
  private final RpcServer server = new RpcServer(listener, endpoints).start();
  private final RpcClient client =
      new RpcClient(new LocalConnector(listener, new ClientIdentity("laptop")));

  @AfterEach
  void close() throws Exception {
    client.close();
    server.close();
  }

  private static List<DatasetPath> paths(int n) {
    List<DatasetPath> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(DatasetPath.of("pool/" + "d".repeat(200) + "/fs" + i));
    }
    return out;
  }

  @Test
  void twentyThousandFilesystemsAreListedInPages() {
    List<DatasetPath> all = paths(20_000);

    Map<DatasetPath, ReceiverFilesystem> m = new RemoteReceiver(client).listFilesystems(all);

    assertThat(m).hasSize(20_000);
    assertThat(m.keySet()).containsExactlyElementsOf(all);
    assertThat(endpoints.calls.stream().filter(c -> c.startsWith("r.listFilesystems")))
        .hasSize(20_000 / RemoteReceiver.LIST_PAGE);
    assertThat(new RemoteReceiver(client).listVersions(all.subList(0, 1000))).hasSize(1000);
  }

  @Test
  void aListLongerThanOneCallMayNameIsRefusedWithAMessage() {
    ObjectNode args = Json.F.objectNode();
    args.set("filesystems", Json.paths(paths(Json.MAX_PATHS_PER_CALL + 1)));

    assertThatThrownBy(() -> client.call(Calls.RECEIVER_LIST_FILESYSTEMS, args))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("names 4097 filesystems, more than the 4096 one call may name");
    // the connection stays usable
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
  }

  @Test
  void aReplyOverTheHeaderLimitIsAnErrorAnswer() {
    ObjectNode args = Json.F.objectNode();
    args.set("filesystems", Json.paths(paths(4000))); // ~4000 * 2 * 220 bytes

    assertThatThrownBy(() -> client.call(Calls.RECEIVER_LIST_FILESYSTEMS, args))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("over the header frame limit 1048576");
  }

  @Test
  void anInvalidDatasetNameIsABadRequest() {
    for (String name : List.of("..", "/abs", "pool/a@s", "pool/a#b", "", "pool//x", "a\nb")) {
      ObjectNode args = Json.F.objectNode();
      args.set("filesystems", Json.F.arrayNode().add(name));
      assertThatThrownBy(() -> client.call(Calls.RECEIVER_LIST_VERSIONS, args))
          .as(name)
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("invalid dataset name");
    }
  }
}
