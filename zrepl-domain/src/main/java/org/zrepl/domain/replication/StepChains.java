package org.zrepl.domain.replication;

import java.util.List;
import java.util.stream.Collectors;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * What the plan and conflict records share: the check that steps form a chain (each starts where
 * the previous one ended) and the text of step and snapshot lists in their messages.
 */
final class StepChains {

  /** Lists longer than this are abbreviated in messages. */
  static final int MAX_NAMES = 8;

  private StepChains() {}

  /** Each incremental step starts where the previous one ended. */
  static void checkChained(List<Step> steps) {
    for (int i = 1; i < steps.size(); i++) {
      Step prev = steps.get(i - 1);
      Step next = steps.get(i);
      if (next.from().isEmpty() || next.from().get().guid() != prev.to().guid()) {
        throw new IllegalArgumentException(
            "step " + next.describe() + " does not start where " + prev.describe() + " ends");
      }
    }
  }

  /** No full send, and each step starts where the previous one ended. */
  static void checkIncremental(List<Step> steps) {
    if (!steps.isEmpty() && steps.get(0).isFull()) {
      throw new IllegalArgumentException(
          "an incremental plan has no full send, got " + steps.get(0).describe());
    }
    checkChained(steps);
  }

  static String describeSteps(List<Step> steps) {
    return steps.stream().map(Step::describe).collect(Collectors.joining(", "));
  }

  /**
   * {@code @a, #b, @c}; a long list keeps its first and last names: {@code @a, @b, @c, ... (12
   * more), @x, @y, @z}; an empty one is {@code none}.
   */
  static String names(List<FilesystemVersion> versions) {
    if (versions.isEmpty()) {
      return "none";
    }
    if (versions.size() <= MAX_NAMES) {
      return join(versions);
    }
    int half = MAX_NAMES / 2;
    return join(versions.subList(0, half))
        + ", ... ("
        + (versions.size() - 2 * half)
        + " more), "
        + join(versions.subList(versions.size() - half, versions.size()));
  }

  private static String join(List<FilesystemVersion> versions) {
    return versions.stream().map(FilesystemVersion::relativeName).collect(Collectors.joining(", "));
  }
}
