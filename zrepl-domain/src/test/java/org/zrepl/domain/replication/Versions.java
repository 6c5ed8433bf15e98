package org.zrepl.domain.replication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Test builders in the spirit of zrepl's {@code versions("@a,1", "#b,2")}: {@code "@a,1"} is
 * snapshot {@code a} with guid 1 and createtxg 1; {@code "#a,1,7"} is bookmark {@code a} with guid
 * 1 and createtxg 7 (a received snapshot has the sender's guid but its own createtxg).
 */
final class Versions {

  private Versions() {}

  static FilesystemVersion v(String spec) {
    String[] parts = spec.substring(1).split(",", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("version spec must be '@name,guid[,txg]', got " + spec);
    }
    long guid = Long.parseLong(parts[1]);
    long txg = parts.length == 3 ? Long.parseLong(parts[2]) : guid;
    Instant at = Instant.EPOCH.plusSeconds(txg);
    return switch (spec.charAt(0)) {
      case '@' -> FilesystemVersion.snapshot(parts[0], guid, txg, at);
      case '#' -> FilesystemVersion.bookmark(parts[0], guid, txg, at);
      default -> throw new IllegalArgumentException("version spec starts with @ or #: " + spec);
    };
  }

  static List<FilesystemVersion> versions(String... specs) {
    List<FilesystemVersion> out = new ArrayList<>();
    for (String s : specs) {
      out.add(v(s));
    }
    return out;
  }

  /** {@code step("@a,1", "@b,2")}; {@code step(null, "@a,1")} is a full send. */
  static Step step(String from, String to) {
    return from == null ? Step.full(v(to)) : Step.incremental(v(from), v(to));
  }

  /** A {@code -I} step: {@code batched("@a,1", "@d,4", "@b,2", "@c,3")}. */
  static Step batched(String from, String to, String... between) {
    return new Step(java.util.Optional.of(v(from)), v(to), versions(between));
  }

  static ReplicationPlan incremental(Step... steps) {
    return new ReplicationPlan.Incremental(List.of(steps));
  }

  static ReplicationPlan initial(Step... steps) {
    return new ReplicationPlan.Initial(List.of(steps));
  }
}
