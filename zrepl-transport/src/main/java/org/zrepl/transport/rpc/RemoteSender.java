package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.zrepl.port.transport.TransportException;
import org.zrepl.port.transport.TransportException.Kind;
import org.zrepl.transport.frame.ProtocolException;

/**
 * A {@link Sender} on the other end of a connection (a pull job's source). The replication engine
 * uses it exactly like a local sender; the stream of {@link #send} comes through the connection.
 */
public final class RemoteSender implements Sender {
  private final RpcClient client;
  private volatile Set<Guarantee> guarantees;

  public RemoteSender(RpcClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public Set<Guarantee> guarantees() {
    Set<Guarantee> g = guarantees;
    if (g == null) {
      g =
          decode(
              Calls.SENDER_GUARANTEES,
              client.call(Calls.SENDER_GUARANTEES, null),
              Json::guarantees);
      guarantees = g;
    }
    return g;
  }

  @Override
  public List<SenderFilesystem> listFilesystems() {
    List<SenderFilesystem> out = new ArrayList<>();
    String after = null;
    while (true) {
      JsonNode r = client.call(Calls.SENDER_LIST_FILESYSTEMS, SenderListing.request(after));
      if (r != null && r.isArray()) { // a server without paging: the whole list
        return decode(Calls.SENDER_LIST_FILESYSTEMS, r, RemoteSender::senderFilesystems);
      }
      String before = after;
      boolean more =
          decode(
              Calls.SENDER_LIST_FILESYSTEMS,
              r,
              o -> {
                List<SenderFilesystem> page = senderFilesystems(Json.array(o, "filesystems"));
                for (SenderFilesystem f : page) {
                  if (before != null && f.path().toString().compareTo(before) <= 0) {
                    throw new ProtocolException(
                        "page after '" + before + "' holds '" + f.path() + "'");
                  }
                }
                out.addAll(page);
                return Json.bool(o, "more") && !page.isEmpty();
              });
      if (!more) {
        return out;
      }
      after = out.get(out.size() - 1).path().toString();
    }
  }

  private static List<SenderFilesystem> senderFilesystems(JsonNode a) throws ProtocolException {
    if (!a.isArray()) {
      throw new ProtocolException("expected an array of filesystems, got " + a.getNodeType());
    }
    List<SenderFilesystem> out = new ArrayList<>();
    for (JsonNode e : a) {
      out.add(Json.senderFilesystem(e));
    }
    return out;
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    Map<DatasetPath, List<FilesystemVersion>> out = new java.util.LinkedHashMap<>();
    for (List<DatasetPath> page : RemoteReceiver.pages(filesystems, RemoteReceiver.VERSIONS_PAGE)) {
      JsonNode args = Json.F.objectNode().set("filesystems", Json.paths(page));
      out.putAll(
          decode(
              Calls.SENDER_LIST_VERSIONS,
              client.call(Calls.SENDER_LIST_VERSIONS, args),
              Json::versionsByPath));
    }
    return out;
  }

  @Override
  public SendStepResponse send(SendStepRequest request) {
    RpcClient.StreamingResult r =
        client.callForStream(Calls.SENDER_SEND, Json.sendRequest(request));
    try {
      return new SendStepResponse(
          r.stream(),
          Json.bool(r.result(), "resumed"),
          Json.optionalLong(r.result().get("expectedSize")),
          Json.encryption(r.result()));
    } catch (ProtocolException e) {
      r.stream().close();
      throw bad(Calls.SENDER_SEND, e);
    }
  }

  @Override
  public OptionalLong estimateSize(SendStepRequest request) {
    return decode(
        Calls.SENDER_ESTIMATE_SIZE,
        client.call(Calls.SENDER_ESTIMATE_SIZE, Json.sendRequest(request)),
        Json::optionalLong);
  }

  @Override
  public void sendCompleted(SendCompletedRequest request) {
    client.call(Calls.SENDER_SEND_COMPLETED, Json.completedRequest(request));
  }

  @Override
  public void destroySnapshots(DatasetPath filesystem, List<FilesystemVersion> snapshots) {
    ObjectNode args = Json.F.objectNode().put("filesystem", filesystem.toString());
    args.set("snapshots", Json.versions(snapshots));
    client.call(Calls.SENDER_DESTROY_SNAPSHOTS, args);
  }

  @Override
  public String toString() {
    return "sender at " + client.describe();
  }

  /** Decodes a result; a result this side cannot read is a protocol failure. */
  static <T> T decode(String call, JsonNode result, Decoder<T> d) {
    try {
      return d.decode(result);
    } catch (ProtocolException | IllegalArgumentException e) {
      throw bad(call, e);
    }
  }

  static TransportException bad(String call, Exception e) {
    return new TransportException(
        Kind.PROTOCOL, "bad result of " + call + ": " + e.getMessage(), e);
  }

  /** Reads a value out of a JSON result. */
  interface Decoder<T> {
    T decode(JsonNode n) throws ProtocolException;
  }
}
