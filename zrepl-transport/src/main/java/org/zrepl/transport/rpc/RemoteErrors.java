package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.EndpointUnsupportedException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.ReceiveRefusedException;
import org.zrepl.port.endpoint.SnapshotsKeptException;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.transport.TransportException;

/**
 * Carries an endpoint exception across the wire with its type, message and {@code isTemporary()},
 * so the active side's engine sees the same exception type a local endpoint would throw.
 */
final class RemoteErrors {
  private RemoteErrors() {}

  static ObjectNode encode(Throwable e) {
    ObjectNode o = Json.F.objectNode();
    String type;
    boolean temporary = false;
    if (e instanceof FilesystemNotFoundException f) {
      type = "FilesystemNotFound";
      o.put("filesystem", f.filesystem().toString());
    } else if (e instanceof ReceiveRefusedException) {
      type = "ReceiveRefused";
    } else if (e instanceof StreamFailedException) {
      type = "StreamFailed";
      temporary = true;
    } else if (e instanceof VersionMismatchException) {
      type = "VersionMismatch";
    } else if (e instanceof SnapshotsKeptException k) {
      type = "SnapshotsKept";
      var kept = o.putArray("kept");
      for (SnapshotsKeptException.Kept one : k.kept()) {
        var entry = kept.addObject().put("snapshot", one.snapshot());
        one.neededBy().forEach(entry.putArray("neededBy")::add);
      }
    } else if (e instanceof EndpointUnsupportedException) {
      type = "Unsupported";
    } else if (e instanceof TransportException t) {
      type = t.kind().name();
      temporary = t.isTemporary();
      if (e instanceof NotServedException) {
        o.put("notServed", true);
      }
    } else if (e instanceof EndpointException x) {
      type = "Endpoint";
      temporary = x.isTemporary();
    } else if (e instanceof IllegalArgumentException) {
      type = TransportException.Kind.BAD_REQUEST.name();
    } else {
      type = "Endpoint";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return o.put("type", type).put("message", message).put("temporary", temporary);
  }

  /** The exception the peer's error stands for; unknown types keep message and temporariness. */
  static EndpointException decode(JsonNode o) {
    String type = o.path("type").asText("Endpoint");
    String message = o.path("message").asText("remote error without a message");
    boolean temporary = o.path("temporary").asBoolean(false);
    switch (type) {
      case "FilesystemNotFound":
        String fs = o.path("filesystem").asText("");
        if (DatasetPath.isValid(fs)) {
          return new FilesystemNotFoundException(DatasetPath.of(fs), message, null);
        }
        return new EndpointException(message, false);
      case "ReceiveRefused":
        return new ReceiveRefusedException(message, null);
      case "StreamFailed":
        return new StreamFailedException(message, null);
      case "VersionMismatch":
        return new VersionMismatchException(message);
      case "SnapshotsKept":
        return kept(o.path("kept"), message);
      case "Unsupported":
        return new EndpointUnsupportedException(message, null);
      default:
        if (o.path("notServed").asBoolean(false)
            && TransportException.Kind.CONNECT.name().equals(type)) {
          return new NotServedException(message);
        }
        for (TransportException.Kind k : TransportException.Kind.values()) {
          if (k.name().equals(type)) {
            return new TransportException(k, message, null);
          }
        }
        return new EndpointException(message, temporary);
    }
  }

  /**
   * The snapshots a sender kept for other targets; a list that does not read as one (a peer's bug)
   * is a plain permanent error with the message, so that pruning reports it as a failure.
   */
  private static EndpointException kept(JsonNode list, String message) {
    java.util.List<SnapshotsKeptException.Kept> kept = new java.util.ArrayList<>();
    try {
      for (JsonNode k : list) {
        java.util.List<String> by = new java.util.ArrayList<>();
        k.path("neededBy").forEach(t -> by.add(t.asText()));
        kept.add(new SnapshotsKeptException.Kept(k.path("snapshot").asText(""), by));
      }
      return new SnapshotsKeptException(message, kept);
    } catch (IllegalArgumentException e) {
      return new EndpointException(
          message + " (malformed list of kept snapshots: " + e.getMessage() + ")", false);
    }
  }
}
