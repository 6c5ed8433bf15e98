package org.zrepl.domain.dataset;

import java.util.List;
import java.util.Optional;

/**
 * One parsed pattern of the filesystem pattern language: a dataset path, optionally ending in a
 * single {@code <} ("this dataset and everything below it"); a bare {@code <} matches every
 * dataset.
 *
 * @param text the pattern as written, quoted in messages
 * @param path the dataset part; empty only for the bare {@code <}
 * @param subtree whether the pattern ends in {@code <}
 */
record DatasetPattern(String text, Optional<DatasetPath> path, boolean subtree) {

  DatasetPattern {
    if (path.isEmpty() && !subtree) {
      throw new IllegalArgumentException("only a subtree pattern may omit the dataset path");
    }
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} quoting it when malformed. */
  static DatasetPattern parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("invalid filesystem pattern '': must not be empty");
    }
    int lt = text.indexOf('<');
    if (lt >= 0 && text.indexOf('<', lt + 1) >= 0) {
      throw invalid(text, "'<' may appear only once");
    }
    if (lt >= 0 && lt != text.length() - 1) {
      throw invalid(text, "'<' may only end a pattern");
    }
    boolean subtree = lt >= 0;
    String dataset = subtree ? text.substring(0, lt) : text;
    if (dataset.isEmpty()) {
      return new DatasetPattern(text, Optional.empty(), true);
    }
    try {
      return new DatasetPattern(text, Optional.of(DatasetPath.of(dataset)), subtree);
    } catch (IllegalArgumentException e) {
      throw invalid(text, e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid filesystem pattern '" + text + "': " + why);
  }

  /** Number of components of the dataset part; 0 for the bare {@code <}. */
  int depth() {
    return path.map(DatasetPath::length).orElse(0);
  }

  boolean matchesExactly(DatasetPath dataset) {
    return !subtree && path.get().equals(dataset);
  }

  boolean matchesSubtree(DatasetPath dataset) {
    return subtree && path.map(dataset::hasPrefix).orElse(true);
  }

  /**
   * The components of {@code dataset} below this pattern: everything after the pattern's path, or
   * the whole dataset for the bare {@code <}; empty for an exact pattern.
   */
  List<String> remainder(DatasetPath dataset) {
    if (!subtree) {
      return List.of();
    }
    return path.map(dataset::trimPrefix).orElse(dataset.components());
  }

  @Override
  public String toString() {
    return text;
  }
}
