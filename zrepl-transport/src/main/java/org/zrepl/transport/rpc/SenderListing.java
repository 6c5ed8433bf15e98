package org.zrepl.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.transport.frame.ProtocolException;

/**
 * {@code sender.listFilesystems} in pages, so that a source serving tens of thousands of
 * filesystems answers within the header limit.
 *
 * <pre>
 * request args   null                                 -> reply [fs, fs, ...]  (the whole list)
 * request args   {"after": null | "pool/a", "limit": n} -> reply {"filesystems": [fs, ...],
 *                                                                "more": true | false}
 * </pre>
 *
 * A page holds the filesystems whose names sort (by UTF-16 code unit, as {@link String#compareTo})
 * after {@code after}, at most {@code limit} (1 to {@value #MAX_LIMIT}) of them. A client without
 * paging sends no arguments and gets the whole list as before; a paging client that gets an array
 * (a server without paging) takes it as the whole list.
 */
final class SenderListing {
  private SenderListing() {}

  /**
   * The most filesystems a page may ask for: 3000 names of 255 bytes with their JSON stay below the
   * 1 MiB header limit.
   */
  static final int MAX_LIMIT = 3000;

  /** What the client asks for per page. */
  static final int PAGE = 1000;

  private static final Comparator<SenderFilesystem> BY_NAME =
      Comparator.comparing(f -> f.path().toString());

  static JsonNode reply(List<SenderFilesystem> all, JsonNode args) throws ProtocolException {
    if (args == null || args.isNull()) {
      ArrayNode a = Json.F.arrayNode();
      all.forEach(f -> a.add(Json.senderFilesystem(f)));
      return a;
    }
    if (!args.isObject()) {
      throw new ProtocolException(
          "sender.listFilesystems takes null or an object {after, limit}, got "
              + args.getNodeType());
    }
    String after = Json.optionalText(args, "after").orElse(null);
    long limit = Json.number(args, "limit");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ProtocolException(
          "field 'limit' must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    List<SenderFilesystem> sorted = new ArrayList<>(all);
    sorted.sort(BY_NAME);
    ArrayNode page = Json.F.arrayNode();
    boolean more = false;
    for (SenderFilesystem f : sorted) {
      if (after != null && f.path().toString().compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(Json.senderFilesystem(f));
    }
    ObjectNode o = Json.F.objectNode();
    o.set("filesystems", page);
    o.put("more", more);
    return o;
  }

  /** The arguments asking for the page after {@code after} (null: the first page). */
  static ObjectNode request(String after) {
    ObjectNode o = Json.F.objectNode();
    if (after == null) {
      o.putNull("after");
    } else {
      o.put("after", after);
    }
    o.put("limit", PAGE);
    return o;
  }
}
