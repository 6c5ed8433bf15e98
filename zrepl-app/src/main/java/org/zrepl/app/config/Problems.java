package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects diagnostics while one configuration (main file plus includes) is read. Each instance is
 * bound to one file; {@link #forFile} gives a view of the same list bound to another file.
 */
final class Problems {

  private final List<Diagnostic> all;
  private final SourceFile file;

  private Problems(List<Diagnostic> all, SourceFile file) {
    this.all = all;
    this.file = file;
  }

  static Problems collecting(SourceFile file) {
    return new Problems(new ArrayList<>(), file);
  }

  Problems forFile(SourceFile other) {
    return new Problems(all, other);
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
    return all.size();
  }

  List<Diagnostic> all() {
    return List.copyOf(all);
  }
}
