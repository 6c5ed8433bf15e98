package org.zrepl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.zrepl.app.abstraction.Abstraction;
import org.zrepl.app.abstraction.AbstractionType;

/**
 * An abstraction as zrepl's {@code --json} prints it: {@code Type}, {@code FS}, {@code Name},
 * {@code FullPath}, {@code JobID}, {@code CreateTXG}, {@code FilesystemVersion}, {@code String};
 * ours adds {@code Tag} for holds and {@code Reason} for stale ones.
 */
final class AbstractionJson {

  private AbstractionJson() {}

  static ObjectNode of(ObjectMapper json, Abstraction a, Optional<String> reason) {
    ObjectNode o = json.createObjectNode();
    o.put("Type", a.type().word());
    o.put("FS", a.fs().toString());
    o.put("Name", a.name());
    o.put("FullPath", a.fullPath());
    if (a.jobId().isPresent()) {
      o.put("JobID", a.jobId().get());
    } else {
      o.putNull("JobID");
    }
    o.put("CreateTXG", a.createTxg());
    if (a.type() == AbstractionType.CURSOR_PROPERTY) {
      o.putNull("FilesystemVersion");
    } else {
      ObjectNode v = o.putObject("FilesystemVersion");
      v.put("Type", a.type().isHold() ? "snapshot" : "bookmark");
      v.put("Name", a.name());
      v.put("Guid", Long.toUnsignedString(a.guid()));
      v.put("CreateTXG", a.createTxg());
    }
    a.tag().ifPresent(t -> o.put("Tag", t));
    o.put("String", a.toString());
    reason.ifPresent(r -> o.put("Reason", r));
    return o;
  }
}
