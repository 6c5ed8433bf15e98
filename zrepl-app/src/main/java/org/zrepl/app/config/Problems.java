package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects diagnostics while one configuration (main file plus includes) is read. Each instance is
 * bound to one file; {@link #forFile} gives a view of the same list bound to another file.
 */
final class Problems {

  /**
   * Told, for each mapping a section parser finished reading, which keys the parser knows there.
   * {@code ConfigReferenceTest} uses it to prove that every key the loader reads is documented.
   */
  interface KnownKeys {
    KnownKeys NONE = (node, keys) -> {};

    void read(MappingNode node, Set<String> keys);
  }

  private final List<Diagnostic> all;
  private final int[] deferred;
  private final SourceFile file;
  private final KnownKeys knownKeys;
  private final TlsCheck tlsCheck;

  private Problems(
      List<Diagnostic> all,
      int[] deferred,
      SourceFile file,
      KnownKeys knownKeys,
      TlsCheck tlsCheck) {
    this.all = all;
    this.deferred = deferred;
    this.file = file;
    this.knownKeys = knownKeys;
    this.tlsCheck = tlsCheck;
  }

  static Problems collecting(SourceFile file) {
    return collecting(file, KnownKeys.NONE);
  }

  static Problems collecting(SourceFile file, KnownKeys knownKeys) {
    return collecting(file, knownKeys, TlsCheck.NONE);
  }

  static Problems collecting(SourceFile file, KnownKeys knownKeys, TlsCheck tlsCheck) {
    return new Problems(new ArrayList<>(), new int[1], file, knownKeys, tlsCheck);
  }

  Problems forFile(SourceFile other) {
    return new Problems(all, deferred, other, knownKeys, tlsCheck);
  }

  /**
   * Runs the {@link TlsCheck} on the files of the {@code tls} block {@code m}; a problem is
   * reported at the {@code ca}, {@code cert} or {@code key} value it is about.
   */
  void checkTlsFiles(String where, YamlMap m, String ca, String cert, String key) {
    try {
      tlsCheck.check(where, ca, cert, key);
    } catch (IllegalArgumentException e) {
      String msg = String.valueOf(e.getMessage());
      String field =
          msg.startsWith("ca file ") ? "ca" : msg.startsWith("key file ") ? "key" : "cert";
      Node at = m.get(field);
      error(at != null ? at : m.node(), msg);
    }
  }

  KnownKeys knownKeys() {
    return knownKeys;
  }

  /**
   * Notes a problem whose report is deferred (a missing key, reported when its map is finished), so
   * that {@link #count()} already includes it.
   */
  void defer() {
    deferred[0]++;
  }

  /** The deferred problem was reported, or superseded by another report. */
  void undefer() {
    deferred[0]--;
  }

  SourceFile file() {
    return file;
  }

  void error(Node at, String message) {
    error(at.getStartMark(), message);
  }

  void error(Mark mark, String message) {
    at(mark.getLine() + 1, mark.getColumn() + 1, message);
  }

  void at(int line, int column, String message) {
    all.add(new Diagnostic(file.displayName(), line, column, message, file.line(line)));
  }

  /** How many problems were reported so far, across all files. */
  int count() {
    return all.size() + deferred[0];
  }

  List<Diagnostic> all() {
    return List.copyOf(all);
  }
}
