package org.zrepl.domain.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated ZFS dataset name such as {@code pool/a/b}: one or more components separated by {@code
 * /}. Snapshot ({@code @}) and bookmark ({@code #}) suffixes are not part of a dataset path.
 *
 * <p>The rules follow OpenZFS's {@code zfs_namecheck.c}: components are non-empty, consist of
 * letters, digits and {@code _ - : . } and space, are not {@code .} or {@code ..}; the pool name
 * starts with a letter; the whole name is at most {@value #MAX_LENGTH} characters.
 */
public record DatasetPath(List<String> components) implements Comparable<DatasetPath> {

  /** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
  public static final int MAX_LENGTH = 255;

  public DatasetPath {
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("dataset path must have at least one component");
    }
    for (String c : components) {
      checkComponent(c, components);
    }
    String first = components.get(0);
    if (!Character.isLetter(first.charAt(0)) || first.charAt(0) > 'z') {
      throw new IllegalArgumentException(
          "pool name must start with a letter, got '" + String.join("/", components) + "'");
    }
    int length = String.join("/", components).length();
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "dataset path is " + length + " characters long, limit is " + MAX_LENGTH);
    }
  }

  /** Parses {@code pool/a/b}; throws {@link IllegalArgumentException} quoting the input. */
  public static DatasetPath of(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("dataset path must not be empty");
    }
    if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
      throw new IllegalArgumentException("dataset path '" + name + "' has an empty component");
    }
    return new DatasetPath(List.of(name.split("/", -1)));
  }

  /** True iff {@code name} is a valid dataset path. */
  public static boolean isValid(String name) {
    try {
      of(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Checks one component, such as a job name used as a dataset name component. */
  public static void checkComponent(String component) {
    if (component == null) {
      throw new IllegalArgumentException("dataset path component must not be null");
    }
    checkComponent(component, List.of(component));
  }

  private static void checkComponent(String c, List<String> all) {
    if (c == null || c.isEmpty()) {
      throw new IllegalArgumentException(
          "dataset path '" + String.join("/", all) + "' has an empty component");
    }
    if (c.equals(".") || c.equals("..")) {
      throw new IllegalArgumentException(
          "dataset path '" + String.join("/", all) + "' has a component '" + c + "'");
    }
    for (int i = 0; i < c.length(); i++) {
      char ch = c.charAt(i);
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '_'
              || ch == '-'
              || ch == ':'
              || ch == '.'
              || ch == ' ';
      if (!ok) {
        throw new IllegalArgumentException(
            "dataset path '"
                + String.join("/", all)
                + "' contains invalid character '"
                + ch
                + "' at component '"
                + c
                + "'");
      }
    }
  }

  public int length() {
    return components.size();
  }

  public String pool() {
    return components.get(0);
  }

  /** The last component. */
  public String leaf() {
    return components.get(components.size() - 1);
  }

  public boolean isRoot() {
    return components.size() == 1;
  }

  /** The parent dataset; throws for a pool root. */
  public DatasetPath parent() {
    if (isRoot()) {
      throw new IllegalStateException("pool root '" + this + "' has no parent");
    }
    return new DatasetPath(components.subList(0, components.size() - 1));
  }

  /** This path with {@code relative}'s components appended. */
  public DatasetPath child(String relative) {
    List<String> c = new ArrayList<>(components);
    c.addAll(List.of(relative.split("/", -1)));
    return new DatasetPath(c);
  }

  /** This path with {@code suffix}'s components appended. */
  public DatasetPath append(List<String> suffix) {
    List<String> c = new ArrayList<>(components);
    c.addAll(suffix);
    return new DatasetPath(c);
  }

  /** True iff {@code this} equals {@code other} or lies below it. */
  public boolean hasPrefix(DatasetPath other) {
    return components.size() >= other.components.size()
        && components.subList(0, other.components.size()).equals(other.components);
  }

  /** The components after {@code prefix}; {@code prefix} must be a prefix of this path. */
  public List<String> trimPrefix(DatasetPath prefix) {
    if (!hasPrefix(prefix)) {
      throw new IllegalArgumentException("'" + prefix + "' is not a prefix of '" + this + "'");
    }
    return components.subList(prefix.components.size(), components.size());
  }

  /** Every ancestor from the pool root down to, but excluding, this path. */
  public List<DatasetPath> ancestors() {
    List<DatasetPath> out = new ArrayList<>();
    for (int i = 1; i < components.size(); i++) {
      out.add(new DatasetPath(components.subList(0, i)));
    }
    return out;
  }

  @Override
  public int compareTo(DatasetPath o) {
    int n = Math.min(components.size(), o.components.size());
    for (int i = 0; i < n; i++) {
      int c = components.get(i).compareTo(o.components.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(components.size(), o.components.size());
  }

  @Override
  public String toString() {
    return String.join("/", components);
  }
}
