package org.zrepl.domain.replication;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What to send when the receiver has no snapshot yet: zrepl's {@code initial_replication}. */
public enum InitialReplication {
  /** Send only the sender's newest snapshot (zrepl's default). */
  MOST_RECENT,
  /** Send the oldest snapshot in full, then every later one incrementally. */
  ALL,
  /** Refuse: report {@link Conflict.InitialReplicationRefused}. */
  FAIL;

  /** The name used in the config: {@code most_recent}, {@code all}, {@code fail}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a config name; throws {@link IllegalArgumentException} quoting it if unknown. */
  public static InitialReplication parse(String configName) {
    for (InitialReplication v : values()) {
      if (v.configName().equals(configName)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "initial_replication must be one of "
            + Arrays.stream(values())
                .map(InitialReplication::configName)
                .collect(Collectors.joining(", "))
            + ", got '"
            + configName
            + "'");
  }
}
