package org.zrepl.domain.prune;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * Small builders for snapshot lists, in the spirit of zrepl's {@code versions("@a,1", "#b,2")}.
 *
 * <p>{@code "@name,txg,minutes"}: a snapshot (or {@code #} bookmark) with the given createtxg,
 * created {@code minutes} after {@link #T0}; the guid is the createtxg, so a bookmark made from a
 * snapshot can share its guid by sharing its txg.
 */
final class Versions {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Versions() {}

  static FilesystemVersion v(String spec) {
    String[] f = spec.split(",", -1);
    if (f.length != 3) {
      throw new IllegalArgumentException("expected '@name,txg,minutes', got '" + spec + "'");
    }
    long txg = Long.parseLong(f[1].strip());
    Instant at = T0.plus(Duration.ofMinutes(Long.parseLong(f[2].strip())));
    String name = f[0].strip().substring(1);
    return switch (f[0].strip().charAt(0)) {
      case '@' -> FilesystemVersion.snapshot(name, txg, txg, at);
      case '#' -> FilesystemVersion.bookmark(name, txg, txg, at);
      default -> throw new IllegalArgumentException("expected '@' or '#' in '" + spec + "'");
    };
  }

  static List<FilesystemVersion> versions(String... specs) {
    List<FilesystemVersion> out = new ArrayList<>();
    for (String s : specs) {
      out.add(v(s));
    }
    return out;
  }

  /** A snapshot created {@code ago} before {@link #T0}; txgs grow with creation. */
  static FilesystemVersion ago(String name, Duration ago) {
    long txg = 10_000_000_000L - ago.toSeconds();
    return FilesystemVersion.snapshot(name, txg, txg, T0.minus(ago));
  }

  static List<String> names(List<FilesystemVersion> vs) {
    return vs.stream().map(FilesystemVersion::name).toList();
  }
}
