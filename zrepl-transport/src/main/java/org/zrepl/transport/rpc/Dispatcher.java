package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.InputStream;
import java.util.Map;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Endpoints;
import org.zrepl.port.transport.TransportException;
import org.zrepl.port.transport.TransportException.Kind;
import org.zrepl.transport.frame.ProtocolException;

/**
 * Turns one decoded request into a call on the client's local {@link Sender} or {@link Receiver}.
 * Calls a client may not make throw {@link TransportException} {@code ACCESS_DENIED}.
 */
final class Dispatcher {
  private final Endpoints endpoints;

  Dispatcher(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** Whether the call's request carries a stream. */
  static boolean takesStream(String call) {
    return call.equals(Calls.RECEIVER_RECEIVE);
  }

  /** Whether the call's response carries a stream. */
  static boolean givesStream(String call) {
    return call.equals(Calls.SENDER_SEND);
  }

  /** {@code sender.send}: the response whose stream the server then copies to the client. */
  SendStepResponse send(ClientIdentity client, JsonNode args) throws ProtocolException {
    return sender(client, Calls.SENDER_SEND).send(Json.sendRequest(args));
  }

  /** {@code receiver.receive}, reading {@code stream}. */
  void receive(ClientIdentity client, JsonNode args, InputStream stream) throws ProtocolException {
    receiver(client, Calls.RECEIVER_RECEIVE).receive(Json.receiveRequest(args), stream);
  }

  /** Every call without streams; returns its JSON result. */
  JsonNode call(ClientIdentity client, String call, JsonNode args) throws ProtocolException {
    switch (call) {
      case Calls.SENDER_GUARANTEES:
        return Json.guarantees(sender(client, call).guarantees());
      case Calls.SENDER_LIST_FILESYSTEMS:
        return SenderListing.reply(sender(client, call).listFilesystems(), args);
      case Calls.SENDER_LIST_VERSIONS:
        return Json.versionsByPath(
            sender(client, call).listVersions(Json.paths(args, "filesystems")));
      case Calls.SENDER_ESTIMATE_SIZE:
        return Json.optionalLong(sender(client, call).estimateSize(Json.sendRequest(args)));
      case Calls.SENDER_SEND_COMPLETED:
        sender(client, call).sendCompleted(Json.completedRequest(args));
        return Json.F.nullNode();
      case Calls.SENDER_DESTROY_SNAPSHOTS:
        sender(client, call)
            .destroySnapshots(Json.path(args, "filesystem"), Json.versions(args, "snapshots"));
        return Json.F.nullNode();
      case Calls.RECEIVER_GUARANTEES:
        return Json.guarantees(receiver(client, call).guarantees());
      case Calls.RECEIVER_LIST_FILESYSTEMS:
        {
          Map<?, ReceiverFilesystem> m =
              receiver(client, call).listFilesystems(Json.paths(args, "filesystems"));
          ArrayNode a = Json.F.arrayNode();
          m.values().forEach(f -> a.add(Json.receiverFilesystem(f)));
          return a;
        }
      case Calls.RECEIVER_LIST_VERSIONS:
        return Json.versionsByPath(
            receiver(client, call).listVersions(Json.paths(args, "filesystems")));
      case Calls.RECEIVER_RESUME_TOKEN:
        return receiver(client, call)
            .resumeToken(Json.path(args, "filesystem"))
            .<JsonNode>map(Json.F::textNode)
            .orElse(Json.F.nullNode());
      case Calls.RECEIVER_DESTROY_SNAPSHOTS:
        receiver(client, call)
            .destroySnapshots(Json.path(args, "filesystem"), Json.versions(args, "snapshots"));
        return Json.F.nullNode();
      case Calls.RECEIVER_ROLLBACK:
        receiver(client, call)
            .rollback(
                Json.path(args, "filesystem"),
                Json.version(Json.field(args, "to")),
                Json.versions(args, "destroyed"));
        return Json.F.nullNode();
      default:
        throw new TransportException(Kind.BAD_REQUEST, "unknown call '" + call + "'", null);
    }
  }

  private Sender sender(ClientIdentity client, String call) {
    return endpoints
        .sender(client)
        .orElseThrow(
            () ->
                new TransportException(
                    Kind.ACCESS_DENIED,
                    "client '"
                        + client
                        + "' may not call "
                        + call
                        + ": nothing is served to it"
                        + " as a source",
                    null));
  }

  private Receiver receiver(ClientIdentity client, String call) {
    return endpoints
        .receiver(client)
        .orElseThrow(
            () ->
                new TransportException(
                    Kind.ACCESS_DENIED,
                    "client '"
                        + client
                        + "' may not call "
                        + call
                        + ": nothing is served to it"
                        + " as a sink",
                    null));
  }
}
