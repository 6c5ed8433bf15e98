package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;

/**
 * A {@link Receiver} on the other end of a connection (a push job's sink). {@link #receive} sends
 * the stream in the request; a sink that fails early stops the copy and its error is thrown here.
 */
public final class RemoteReceiver implements Receiver {
  private final RpcClient client;
  private volatile Set<Guarantee> guarantees;

  public RemoteReceiver(RpcClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public Set<Guarantee> guarantees() {
    Set<Guarantee> g = guarantees;
    if (g == null) {
      g =
          RemoteSender.decode(
              Calls.RECEIVER_GUARANTEES,
              client.call(Calls.RECEIVER_GUARANTEES, null),
              Json::guarantees);
      guarantees = g;
    }
    return g;
  }

  /**
   * Filesystems per {@code receiver.listFilesystems} call: even with long names and resume tokens
   * the reply of a page stays well below the 1 MiB header limit.
   */
  static final int LIST_PAGE = 500;

  /** Versions of this many filesystems per {@code listVersions} call. */
  static final int VERSIONS_PAGE = 64;

  @Override
  public Map<DatasetPath, ReceiverFilesystem> listFilesystems(
      Collection<DatasetPath> senderFilesystems) {
    Map<DatasetPath, ReceiverFilesystem> out = new LinkedHashMap<>();
    for (List<DatasetPath> page : pages(senderFilesystems, LIST_PAGE)) {
      JsonNode r = client.call(Calls.RECEIVER_LIST_FILESYSTEMS, filesystems(page));
      out.putAll(
          RemoteSender.decode(
              Calls.RECEIVER_LIST_FILESYSTEMS,
              r,
              a -> {
                Map<DatasetPath, ReceiverFilesystem> m = new LinkedHashMap<>();
                for (JsonNode e : a) {
                  ReceiverFilesystem f = Json.receiverFilesystem(e);
                  m.put(f.senderPath(), f);
                }
                return m;
              }));
    }
    return out;
  }

  /** {@code all} in pages of at most {@code size}; one empty page for an empty list. */
  static List<List<DatasetPath>> pages(Collection<DatasetPath> all, int size) {
    List<DatasetPath> list = List.copyOf(all);
    if (list.isEmpty()) {
      return List.of(list);
    }
    List<List<DatasetPath>> out = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      out.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return out;
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> senderFilesystems) {
    Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
    for (List<DatasetPath> page : pages(senderFilesystems, VERSIONS_PAGE)) {
      out.putAll(
          RemoteSender.decode(
              Calls.RECEIVER_LIST_VERSIONS,
              client.call(Calls.RECEIVER_LIST_VERSIONS, filesystems(page)),
              Json::versionsByPath));
    }
    return out;
  }

  @Override
  public Optional<String> resumeToken(DatasetPath senderFilesystem) {
    JsonNode r =
        client.call(
            Calls.RECEIVER_RESUME_TOKEN,
            Json.F.objectNode().put("filesystem", senderFilesystem.toString()));
    return r.isTextual() ? Optional.of(r.asText()) : Optional.empty();
  }

  @Override
  public void receive(ReceiveStepRequest request, InputStream stream) {
    client.callWithStream(Calls.RECEIVER_RECEIVE, Json.receiveRequest(request), stream);
  }

  @Override
  public void destroySnapshots(DatasetPath senderFilesystem, List<FilesystemVersion> snapshots) {
    ObjectNode args = Json.F.objectNode().put("filesystem", senderFilesystem.toString());
    args.set("snapshots", Json.versions(snapshots));
    client.call(Calls.RECEIVER_DESTROY_SNAPSHOTS, args);
  }

  @Override
  public void rollback(
      DatasetPath senderFilesystem, FilesystemVersion to, List<FilesystemVersion> destroyed) {
    ObjectNode args = Json.F.objectNode().put("filesystem", senderFilesystem.toString());
    args.set("to", Json.version(to));
    args.set("destroyed", Json.versions(destroyed));
    client.call(Calls.RECEIVER_ROLLBACK, args);
  }

  @Override
  public String toString() {
    return "receiver at " + client.describe();
  }

  private static ObjectNode filesystems(Collection<DatasetPath> fss) {
    ObjectNode o = Json.F.objectNode();
    o.set("filesystems", Json.paths(fss));
    return o;
  }
}
