package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.local.LocalListener;

/** {@code sender.listFilesystems} in pages: a source with more than fits in one reply. */
class SenderListingTest {
  private final TestEndpoints endpoints = new TestEndpoints();
  private final LocalListener listener = new LocalListener("source");
  private final RpcServer server = new RpcServer(listener, endpoints).start();
  private final RpcClient client =
      new RpcClient(new LocalConnector(listener, new ClientIdentity("backup")));

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
  }

  /** {@code n} filesystems with names of about 200 characters, in no particular order. */
  private static List<SenderFilesystem> many(int n) {
    String longName = "pool/" + "x".repeat(190);
    List<SenderFilesystem> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(new SenderFilesystem(DatasetPath.of(longName + "/fs" + i), i % 7 == 0));
    }
    Collections.shuffle(l, new Random(16));
    return l;
  }

  @Test
  void aSourceWithMoreFilesystemsThanOneReplyHoldsIsListedWholeInPages() {
    List<SenderFilesystem> all = many(6_000); // about 1.4 MB of JSON: more than the 1 MiB header
    endpoints.senderFilesystems = all;
    List<SenderFilesystem> got = new RemoteSender(client).listFilesystems();
    assertThat(got).hasSize(6_000).containsExactlyInAnyOrderElementsOf(all);
    assertThat(got)
        .extracting(f -> f.path().toString())
        .isSortedAccordingTo(String::compareTo)
        .doesNotHaveDuplicates();
    assertThat(endpoints.calls.stream().filter("listFilesystems"::equals)).hasSize(6);
  }

  @Test
  void aClientWithoutPagingGetsTheWholeListAsBefore() {
    JsonNode r = client.call(Calls.SENDER_LIST_FILESYSTEMS, null);
    assertThat(r.isArray()).isTrue();
    assertThat(r).hasSize(2);
    assertThat(r.get(0).get("path").asText()).isEqualTo("pool/a");
  }

  @Test
  void aClientWithoutPagingIsToldWhenTheWholeListDoesNotFit() {
    endpoints.senderFilesystems = many(6_000);
    assertThatThrownBy(() -> client.call(Calls.SENDER_LIST_FILESYSTEMS, null))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("over the header frame limit 1048576");
  }

  @Test
  void aPageAfterTheLastNameIsEmptyAndSaysNoMore() {
    JsonNode r =
        client.call(
            Calls.SENDER_LIST_FILESYSTEMS,
            Json.F.objectNode().put("after", "pool/a/p").put("limit", 10));
    assertThat(r.get("filesystems")).isEmpty();
    assertThat(r.get("more").asBoolean()).isFalse();
    JsonNode first =
        client.call(
            Calls.SENDER_LIST_FILESYSTEMS, Json.F.objectNode().putNull("after").put("limit", 1));
    assertThat(first.get("filesystems")).hasSize(1);
    assertThat(first.get("more").asBoolean()).isTrue();
  }

  @Test
  void aLimitOutOfRangeIsABadRequest() {
    for (int limit : new int[] {0, -1, SenderListing.MAX_LIMIT + 1}) {
      assertThatThrownBy(
              () ->
                  client.call(
                      Calls.SENDER_LIST_FILESYSTEMS,
                      Json.F.objectNode().putNull("after").put("limit", limit)))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining(
              "field 'limit' must be between 1 and " + SenderListing.MAX_LIMIT + ", got " + limit);
    }
  }
}
