package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.TransportException;
import org.zrepl.port.transport.TransportException.Kind;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameType;
import org.zrepl.transport.frame.ProtocolException;

/**
 * Serves one connection: handshake, then requests one after another until the client hangs up. A
 * protocol error is answered (best effort) and closes this connection only; every refused call is
 * logged with the client's identity.
 */
final class ServerConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);
  private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG);

  /**
   * The per-connection WARN lines (handshake failures, protocol errors, timeouts, ends mid-frame):
   * one a connection, so a flood of bad connections would flood the log without a limit.
   */
  static RateLimitedLog closeWarnings() {
    return new RateLimitedLog(LOG);
  }

  private final Listener.Accepted accepted;
  private final ClientIdentity client;
  private final Dispatcher dispatcher;
  private final ConnectionGuard.Tracked phases;
  private final RateLimitedLog warnings;
  private PatientInput input;

  ServerConnection(
      Listener.Accepted accepted,
      Dispatcher dispatcher,
      ConnectionGuard.Tracked phases,
      RateLimitedLog warnings) {
    this.accepted = accepted;
    this.client = accepted.identity();
    this.dispatcher = dispatcher;
    this.phases = phases;
    this.warnings = warnings;
  }

  private String who() {
    return "client '" + client + "' (" + accepted.connection().describe() + ")";
  }

  @Override
  public void run() {
    Wire w;
    try {
      w =
          Wire.openLeavingOpen(
              accepted.connection(),
              in -> {
                input = new PatientInput(phases.in(in));
                return input;
              },
              phases::out);
    } catch (IOException | RuntimeException e) {
      phases.closing(ConnectionCloses.of(e));
      warnings.warn("{}: {}", who(), e.getMessage());
      Wire.closeQuietly(accepted.connection()); // after the line: the peer sees the close after it
      return;
    }
    phases.onDrop(
        why -> {
          try {
            respondError(w, new NotServedException(why), true);
          } catch (IOException e) {
            LOG.debug("{}: could not say why the connection is dropped: {}", who(), e.toString());
          }
        });
    try {
      serve(w);
      phases.closing(ConnectionCloses.Reason.DONE);
    } catch (ProtocolException e) {
      phases.closing(ConnectionCloses.Reason.PROTOCOL_ERROR);
      warnings.warn("{}: protocol error, closing the connection: {}", who(), e.getMessage());
      try {
        respondError(w, new TransportException(Kind.PROTOCOL, e.getMessage(), e), true);
      } catch (IOException ignored) {
        // The client may be gone already; the connection is closed below either way.
      }
    } catch (java.net.SocketTimeoutException e) {
      phases.closing(ConnectionCloses.Reason.READ_TIMEOUT);
      warnings.warn("{}: {}; dropping the connection", who(), e.getMessage());
    } catch (java.io.EOFException e) {
      phases.closing(ConnectionCloses.Reason.EOF_MID_FRAME);
      warnings.warn("{}: connection ended mid-frame: {}", who(), e.getMessage());
      try {
        respondError(w, new TransportException(Kind.IO, e.getMessage(), e), true);
      } catch (IOException ignored) {
        // Best effort: the client may have closed both directions.
      }
    } catch (IOException | RuntimeException e) {
      phases.closing(ConnectionCloses.of(e));
      if (phases.wasDropped()) {
        LOG.debug("{}: dropped connection ended: {}", who(), e.toString());
      } else {
        LOG.info("{}: connection failed: {}", who(), e.toString());
      }
    } finally {
      if (phases.wasDropped()) {
        Wire.closeAfterFarewell(w.connection); // told why; the client's end is an orderly one
      } else {
        w.close();
      }
    }
  }

  private void serve(Wire w) throws IOException {
    CompletableFuture<Frame> pending = null;
    boolean first = true;
    while (true) {
      if (!first) {
        phases.idle();
      }
      first = false;
      Frame f = pending != null ? join(pending) : w.reader.nextControl();
      pending = null;
      if (f == null) {
        return;
      }
      if (f.type() == FrameType.RESET) {
        continue; // the client closed a stream that had already ended: nothing to stop
      }
      if (f.type() != FrameType.HEADER) {
        throw new ProtocolException("expected a request header frame, got " + f.type().label());
      }
      if (!phases.inCall()) {
        // dropped unserved; the client was told so instead: take the request's stream (it stops
        // sending once it reads why), so that closing resets nothing the client has yet to read,
        // and let the client close first (an ssh client's stdinserver would report the daemon
        // ending the session as an error); the guard's deadline bounds the wait
        if (!f.header().endOfMessage()) {
          new DataFrameInputStream(w.reader).drain();
        }
        continue;
      }
      ObjectNode req = Json.parse("request header frame", f.payload());
      String call = Json.text(req, "call");
      JsonNode args = req.path("args");
      boolean withStream = !f.header().endOfMessage();
      if (withStream && !Dispatcher.takesStream(call)) {
        throw new ProtocolException("call " + call + " must not carry a stream");
      }
      if (Dispatcher.takesStream(call)) {
        receive(w, call, args, withStream);
      } else if (Dispatcher.givesStream(call)) {
        pending = send(w, call, args);
      } else {
        respond(w, call, args);
      }
    }
  }

  private void respond(Wire w, String call, JsonNode args) throws IOException {
    JsonNode result;
    try {
      result = dispatcher.call(client, call, args);
    } catch (ProtocolException e) {
      refused(w, call, new TransportException(Kind.BAD_REQUEST, e.getMessage(), e));
      return;
    } catch (RuntimeException e) {
      refused(w, call, e);
      return;
    }
    ObjectNode o = Json.F.objectNode();
    o.set("ok", result);
    byte[] reply = Json.bytes(o);
    if (reply.length > FrameType.HEADER.maxLength()) {
      // say so instead of breaking the frame limit (which would drop the connection unexplained)
      refused(
          w,
          call,
          new TransportException(
              Kind.BAD_REQUEST,
              "the reply to "
                  + call
                  + " would be "
                  + reply.length
                  + " bytes, over the header frame limit "
                  + FrameType.HEADER.maxLength()
                  + "; ask for fewer filesystems per call",
              null));
      return;
    }
    w.writer.header(reply, true);
  }

  private void receive(Wire w, String call, JsonNode args, boolean withStream) throws IOException {
    if (!withStream) {
      refused(w, call, new TransportException(Kind.BAD_REQUEST, call + " needs a stream", null));
      return;
    }
    DataFrameInputStream in = new DataFrameInputStream(w.reader);
    RuntimeException failure = null;
    try {
      dispatcher.receive(client, args, in);
    } catch (ProtocolException e) {
      failure = new TransportException(Kind.BAD_REQUEST, e.getMessage(), e);
    } catch (RuntimeException e) {
      failure = e;
    }
    // Answer first, so that a sender still copying learns at once that it can stop ...
    if (failure != null) {
      refused(w, call, failure);
    } else {
      w.writer.header(Json.bytes(Json.F.objectNode().set("ok", Json.F.nullNode())), true);
    }
    // ... then discard what it sent before it stopped, up to its trailer or reset.
    if (!in.ended()) {
      in.drain();
    }
  }

  /** Serves {@code sender.send}; returns the watcher that reads the client's next frame. */
  private CompletableFuture<Frame> send(Wire w, String call, JsonNode args) throws IOException {
    SendStepResponse resp;
    try {
      resp = dispatcher.send(client, args);
    } catch (ProtocolException e) {
      refused(w, call, new TransportException(Kind.BAD_REQUEST, e.getMessage(), e));
      return null;
    } catch (RuntimeException e) {
      refused(w, call, e);
      return null;
    }
    ObjectNode ok = Json.F.objectNode().put("resumed", resp.resumed());
    ok.set("expectedSize", Json.optionalLong(resp.expectedSize()));
    Json.encryption(ok, resp.encryption());
    ObjectNode o = Json.F.objectNode();
    o.set("ok", ok);
    InputStream source = resp.stream();
    w.writer.header(Json.bytes(o), false);
    input.patient(true); // the client is silent while it reads the stream
    CompletableFuture<Frame> watcher =
        CompletableFuture.supplyAsync(() -> nextControl(w), Wire.WATCHERS);
    StreamPump.Outcome outcome;
    try {
      outcome = StreamPump.pump(source, w.writer, watcher::isDone);
    } catch (IOException e) {
      input.patient(false);
      closeAborting(source);
      throw e;
    }
    ObjectNode trailer = Json.F.objectNode();
    if (outcome instanceof StreamPump.Completed) {
      RuntimeException e = closeReporting(source);
      if (e != null) {
        trailer.set("error", RemoteErrors.encode(e));
      }
    } else if (outcome instanceof StreamPump.SourceFailed f) {
      RuntimeException e = closeReporting(source);
      trailer.set(
          "error",
          RemoteErrors.encode(
              e != null
                  ? e
                  : new StreamFailedException(
                      "the send stream failed: " + f.error().getMessage(), f.error())));
    } else {
      closeAborting(source);
      LOG.info("{}: stopped {} at the client's request", who(), call);
      trailer.put("aborted", true);
    }
    w.writer.trailer(Json.bytes(trailer));
    input.patient(false);
    return watcher;
  }

  private static RuntimeException closeReporting(InputStream s) {
    try {
      s.close();
      return null;
    } catch (IOException e) {
      return new StreamFailedException("the send stream failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void closeAborting(InputStream s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      // Closing before the end aborts the send; an error about that is expected, not news.
    }
  }

  private void refused(Wire w, String call, RuntimeException e) throws IOException {
    if ((e instanceof TransportException t
            && (t.kind() == Kind.ACCESS_DENIED || t.kind() == Kind.BAD_REQUEST))
        || e instanceof FilesystemNotFoundException) {
      // a name the client may not use (or that is not a name): visible, but a flood stays short
      REFUSALS.warn("{}: refused {}: {}", who(), call, e.getMessage());
    } else {
      LOG.info("{}: {} failed: {}", who(), call, e.getMessage());
    }
    respondError(w, e, true);
  }

  private static void respondError(Wire w, RuntimeException e, boolean end) throws IOException {
    ObjectNode o = Json.F.objectNode();
    o.set("error", RemoteErrors.encode(e));
    w.writer.header(Json.bytes(o), end);
  }

  private static Frame nextControl(Wire w) {
    try {
      return w.reader.nextControl();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Frame join(CompletableFuture<Frame> f) throws IOException {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
  }
}
