package org.zrepl.domain.prune;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.zrepl.domain.version.FilesystemVersion;

/** The planner's verdict on one snapshot, with a reason a person can read. */
public sealed interface PruneDecision permits PruneDecision.Keep, PruneDecision.Destroy {

  /** The reason given for a protected snapshot, whatever the rules say. */
  String PROTECTED_REASON = "protected: incremental base";

  FilesystemVersion snapshot();

  /** Why: the rules that kept it, protection, or that no rule kept it. */
  String reason();

  /** {@code keep @name: <reason>} or {@code destroy @name: <reason>}, for dry-run output. */
  default String describe() {
    String verb = this instanceof Destroy ? "destroy" : "keep";
    return verb + " " + snapshot().relativeName() + ": " + reason();
  }

  /**
   * The snapshot stays.
   *
   * @param keptBy the rules that keep it, in configuration order (empty when it is only protected,
   *     or when no rules are configured)
   * @param protectedBase whether it is protected as the incremental base
   */
  record Keep(FilesystemVersion snapshot, List<KeepRule> keptBy, boolean protectedBase)
      implements PruneDecision {
    public Keep {
      Objects.requireNonNull(snapshot, "snapshot");
      keptBy = List.copyOf(keptBy);
    }

    @Override
    public String reason() {
      if (protectedBase) {
        return PROTECTED_REASON;
      }
      if (keptBy.isEmpty()) {
        return "no keep rules configured, nothing is pruned";
      }
      return "kept by " + keptBy.stream().map(KeepRule::describe).collect(Collectors.joining("; "));
    }
  }

  /** No rule keeps the snapshot and it is not protected: it is destroyed. */
  record Destroy(FilesystemVersion snapshot) implements PruneDecision {
    public Destroy {
      Objects.requireNonNull(snapshot, "snapshot");
      if (!snapshot.isSnapshot()) {
        throw new IllegalArgumentException(
            "only snapshots can be destroyed by pruning, got bookmark " + snapshot.relativeName());
      }
    }

    @Override
    public String reason() {
      return "not kept by any rule";
    }
  }
}
