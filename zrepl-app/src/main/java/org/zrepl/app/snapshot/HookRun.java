package org.zrepl.app.snapshot;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * One invocation of a hook for one filesystem.
 *
 * @param hook what ran, e.g. the command's path
 * @param edge {@code pre_snapshot} or {@code post_snapshot}
 * @param ok whether it succeeded
 * @param result a short description: {@code exit status 0}, {@code timed out after PT30S, killed}
 */
public record HookRun(String hook, Edge edge, DatasetPath fs, boolean ok, String result) {

  /** Before or after the snapshot, named as in {@code ZREPL_HOOKTYPE}. */
  public enum Edge {
    PRE("pre_snapshot"),
    POST("post_snapshot");

    private final String word;

    Edge(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  public HookRun {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(result, "result");
  }

  /** {@code pre_snapshot hook /bin/x for pool/a: exit status 1}. */
  public String describe() {
    return edge.word() + " hook " + hook + " for " + fs + ": " + result;
  }
}
