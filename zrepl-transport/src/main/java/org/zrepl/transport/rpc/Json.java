package org.zrepl.transport.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.transport.frame.ProtocolException;

/**
 * The JSON form of the endpoint ports' values: the wire's DTOs live here, not in the domain. Every
 * decoder names the field it could not read. Values the domain rejects (a dataset name with {@code
 * ..}) surface as the domain's {@link IllegalArgumentException}.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Json() {}

  static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode JSON", e);
    }
  }

  /** Parses a header, trailer or reset payload; what is not a JSON object is a protocol error. */
  static ObjectNode parse(String frame, byte[] payload) throws ProtocolException {
    JsonNode n;
    try {
      n = MAPPER.readTree(payload);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ProtocolException(
          frame + " is not valid JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new ProtocolException(frame + " is not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ProtocolException(
          frame + " must be a JSON object, got " + (n == null ? "nothing" : n.getNodeType()));
    }
    return (ObjectNode) n;
  }

  static JsonNode field(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      throw new ProtocolException("missing field '" + name + "' in " + abbreviate(obj));
    }
    return v;
  }

  static String text(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = field(obj, name);
    if (!v.isTextual()) {
      throw new ProtocolException("field '" + name + "' must be a string, got " + v);
    }
    return v.asText();
  }

  static boolean bool(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = field(obj, name);
    if (!v.isBoolean()) {
      throw new ProtocolException("field '" + name + "' must be a boolean, got " + v);
    }
    return v.asBoolean();
  }

  static long number(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = field(obj, name);
    if (!v.canConvertToLong()) {
      throw new ProtocolException("field '" + name + "' must be an integer, got " + v);
    }
    return v.asLong();
  }

  static ArrayNode array(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = field(obj, name);
    if (!v.isArray()) {
      throw new ProtocolException("field '" + name + "' must be an array, got " + v);
    }
    return (ArrayNode) v;
  }

  static Optional<String> optionalText(JsonNode obj, String name) throws ProtocolException {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(text(obj, name));
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  // ---- dataset paths and versions

  /** Filesystems one call may name; clients page longer lists (see {@code docs/protocol.md}). */
  static final int MAX_PATHS_PER_CALL = 4096;

  static DatasetPath path(JsonNode obj, String name) throws ProtocolException {
    return datasetPath(text(obj, name), name);
  }

  /** A dataset name from the peer; one that is not a valid name is a bad request. */
  private static DatasetPath datasetPath(String text, String field) throws ProtocolException {
    try {
      return DatasetPath.of(text);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          "field '" + field + "' holds an invalid dataset name: " + e.getMessage(), e);
    }
  }

  static ArrayNode paths(Collection<DatasetPath> paths) {
    ArrayNode a = F.arrayNode();
    paths.forEach(p -> a.add(p.toString()));
    return a;
  }

  static List<DatasetPath> paths(JsonNode obj, String name) throws ProtocolException {
    List<DatasetPath> out = new ArrayList<>();
    JsonNode a = array(obj, name);
    if (a.size() > MAX_PATHS_PER_CALL) {
      throw new ProtocolException(
          "field '"
              + name
              + "' names "
              + a.size()
              + " filesystems, more than the "
              + MAX_PATHS_PER_CALL
              + " one call may name; page the request");
    }
    for (JsonNode e : a) {
      if (!e.isTextual()) {
        throw new ProtocolException("field '" + name + "' must hold strings, got " + abbreviate(e));
      }
      out.add(datasetPath(e.asText(), name));
    }
    return out;
  }

  static ObjectNode version(FilesystemVersion v) {
    return F.objectNode()
        .put("name", v.name())
        .put("kind", v.kind().name())
        .put("guid", v.guidString())
        .put("createTxg", v.createTxg())
        .put("creation", v.creation().toString());
  }

  static FilesystemVersion version(JsonNode n) throws ProtocolException {
    String kind = text(n, "kind");
    FilesystemVersion.Kind k;
    try {
      k = FilesystemVersion.Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("field 'kind' must be SNAPSHOT or BOOKMARK, got '" + kind + "'");
    }
    long guid;
    Instant creation;
    try {
      guid = Long.parseUnsignedLong(text(n, "guid"));
      creation = Instant.parse(text(n, "creation"));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new ProtocolException("bad version " + n + ": " + e.getMessage(), e);
    }
    return new FilesystemVersion(text(n, "name"), k, guid, number(n, "createTxg"), creation);
  }

  static ArrayNode versions(List<FilesystemVersion> vs) {
    ArrayNode a = F.arrayNode();
    vs.forEach(v -> a.add(version(v)));
    return a;
  }

  static List<FilesystemVersion> versions(JsonNode obj, String name) throws ProtocolException {
    List<FilesystemVersion> out = new ArrayList<>();
    for (JsonNode e : array(obj, name)) {
      out.add(version(e));
    }
    return out;
  }

  static ObjectNode versionsByPath(Map<DatasetPath, List<FilesystemVersion>> m) {
    ObjectNode o = F.objectNode();
    m.forEach((k, v) -> o.set(k.toString(), versions(v)));
    return o;
  }

  static Map<DatasetPath, List<FilesystemVersion>> versionsByPath(JsonNode o)
      throws ProtocolException {
    Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      out.put(DatasetPath.of(e.getKey()), versions(o, e.getKey()));
    }
    return out;
  }

  // ---- steps and requests

  static ObjectNode step(Step s) {
    ObjectNode o = F.objectNode();
    s.from().ifPresent(v -> o.set("from", version(v)));
    o.set("to", version(s.to()));
    o.set("intermediates", versions(s.intermediates()));
    return o;
  }

  static Step step(JsonNode o) throws ProtocolException {
    JsonNode from = o.get("from");
    return new Step(
        from == null || from.isNull() ? Optional.empty() : Optional.of(version(from)),
        version(field(o, "to")),
        versions(o, "intermediates"));
  }

  static ObjectNode sendRequest(SendStepRequest r) {
    ObjectNode o = F.objectNode().put("filesystem", r.filesystem().toString());
    o.set("step", step(r.step()));
    r.resumeToken().ifPresent(t -> o.put("resumeToken", t));
    return o;
  }

  static SendStepRequest sendRequest(JsonNode o) throws ProtocolException {
    return new SendStepRequest(
        path(o, "filesystem"), step(field(o, "step")), optionalText(o, "resumeToken"));
  }

  static ObjectNode receiveRequest(ReceiveStepRequest r) {
    ObjectNode o = F.objectNode().put("filesystem", r.filesystem().toString());
    o.set("step", step(r.step()));
    return o.put("resumed", r.resumed()).put("clearResumeState", r.clearResumeState());
  }

  static ReceiveStepRequest receiveRequest(JsonNode o) throws ProtocolException {
    return new ReceiveStepRequest(
        path(o, "filesystem"),
        step(field(o, "step")),
        bool(o, "resumed"),
        bool(o, "clearResumeState"));
  }

  static ObjectNode completedRequest(SendCompletedRequest r) {
    ObjectNode o = F.objectNode().put("filesystem", r.filesystem().toString());
    o.set("step", step(r.step()));
    return o.put("replicated", r.replicated());
  }

  static SendCompletedRequest completedRequest(JsonNode o) throws ProtocolException {
    return new SendCompletedRequest(
        path(o, "filesystem"), step(field(o, "step")), bool(o, "replicated"));
  }

  // ---- results

  static ArrayNode guarantees(Set<Guarantee> gs) {
    ArrayNode a = F.arrayNode();
    gs.stream().sorted().forEach(g -> a.add(g.name()));
    return a;
  }

  static Set<Guarantee> guarantees(JsonNode a) throws ProtocolException {
    Set<Guarantee> out = EnumSet.noneOf(Guarantee.class);
    for (JsonNode e : a) {
      try {
        out.add(Guarantee.valueOf(e.asText()));
      } catch (IllegalArgumentException unknown) {
        // A newer peer's guarantee this side does not know: it cannot rely on it anyway.
      }
    }
    return out;
  }

  static ObjectNode senderFilesystem(SenderFilesystem f) {
    return F.objectNode().put("path", f.path().toString()).put("placeholder", f.placeholder());
  }

  static SenderFilesystem senderFilesystem(JsonNode o) throws ProtocolException {
    return new SenderFilesystem(path(o, "path"), bool(o, "placeholder"));
  }

  static ObjectNode receiverFilesystem(ReceiverFilesystem f) {
    ObjectNode o =
        F.objectNode()
            .put("senderPath", f.senderPath().toString())
            .put("localPath", f.localPath().toString())
            .put("exists", f.exists())
            .put("placeholder", f.placeholder());
    f.resumeToken().ifPresent(t -> o.put("resumeToken", t));
    return o;
  }

  static ReceiverFilesystem receiverFilesystem(JsonNode o) throws ProtocolException {
    return new ReceiverFilesystem(
        path(o, "senderPath"),
        path(o, "localPath"),
        bool(o, "exists"),
        bool(o, "placeholder"),
        optionalText(o, "resumeToken"));
  }

  /**
   * A send answer's {@code encrypted}: {@code true} for an encrypted raw stream, {@code false} for
   * plaintext; left out when the sender does not know (so an older client sees nothing new).
   */
  static void encryption(ObjectNode answer, SendStepResponse.Encryption e) {
    if (e != SendStepResponse.Encryption.UNKNOWN) {
      answer.put("encrypted", e == SendStepResponse.Encryption.ENCRYPTED);
    }
  }

  /** The {@code encrypted} of a send answer; {@code UNKNOWN} when an older sender left it out. */
  static SendStepResponse.Encryption encryption(JsonNode answer) throws ProtocolException {
    JsonNode v = answer.get("encrypted");
    if (v == null || v.isNull()) {
      return SendStepResponse.Encryption.UNKNOWN;
    }
    if (!v.isBoolean()) {
      throw new ProtocolException("field 'encrypted' must be a boolean, got " + v);
    }
    return v.asBoolean()
        ? SendStepResponse.Encryption.ENCRYPTED
        : SendStepResponse.Encryption.PLAIN;
  }

  static JsonNode optionalLong(OptionalLong v) {
    return v.isPresent() ? F.numberNode(v.getAsLong()) : F.nullNode();
  }

  static OptionalLong optionalLong(JsonNode n) throws ProtocolException {
    if (n == null || n.isNull()) {
      return OptionalLong.empty();
    }
    if (!n.canConvertToLong()) {
      throw new ProtocolException("expected an integer or null, got " + n);
    }
    return OptionalLong.of(n.asLong());
  }
}
