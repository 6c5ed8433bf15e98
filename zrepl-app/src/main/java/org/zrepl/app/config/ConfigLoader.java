package org.zrepl.app.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads {@code zrepl.yml} and the files it includes into a {@link Config}, or into the complete
 * list of problems. Includes are files or directories (their {@code *.yml} files, by name),
 * relative to the main file's directory unless absolute; only their {@code jobs} are used.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Loads {@code file}; diagnostics name it as given. */
  public static LoadResult load(Path file) {
    return load(file, TlsCheck.NONE);
  }

  /**
   * As {@link #load(Path)}, also reading the files of every {@code tls} block with {@code tls}
   * ({@code zrepl configcheck}); a bad file is a diagnostic at its key.
   */
  public static LoadResult load(Path file, TlsCheck tls) {
    if (Files.isDirectory(file)) {
      return new LoadResult.Unreadable("cannot read config file " + file + ": is a directory");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new LoadResult.Unreadable("cannot read config file " + file + ": " + reason(e));
    }
    LoadResult.Invalid notUtf8 = ConfigText.notUtf8(file.toString(), bytes);
    if (notUtf8 != null) {
      return notUtf8;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    return parse(file.toString(), text, file.toAbsolutePath().getParent(), tls);
  }

  /** As {@link #parse(String, String, Path)} with a {@link TlsCheck}. */
  public static LoadResult parse(String displayName, String text, Path dir, TlsCheck tls) {
    return parse(displayName, text, dir, Problems.KnownKeys.NONE, tls);
  }

  /** Parses {@code text} as the main file; relative includes are resolved against {@code dir}. */
  public static LoadResult parse(String displayName, String text, Path dir) {
    return parse(displayName, text, dir, Problems.KnownKeys.NONE);
  }

  /** As {@link #parse(String, String, Path)}, telling {@code knownKeys} what each section knows. */
  static LoadResult parse(String displayName, String text, Path dir, Problems.KnownKeys knownKeys) {
    return parse(displayName, text, dir, knownKeys, TlsCheck.NONE);
  }

  private static LoadResult parse(
      String displayName, String text, Path dir, Problems.KnownKeys knownKeys, TlsCheck tls) {
    SourceFile main = SourceFile.of(displayName, text);
    Problems p = Problems.collecting(main, knownKeys, tls);
    List<String> order = new ArrayList<>(List.of(displayName));
    Node root = compose(text, p);
    Config config = null;
    if (p.count() == 0) {
      config = TopLevel.read(root, dir, displayName, order, p);
    }
    if (p.count() > 0) {
      if (p.all().isEmpty()) {
        throw new IllegalStateException("a problem was noted but never reported");
      }
      List<Diagnostic> sorted = new ArrayList<>(p.all());
      sorted.sort(
          Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.file()))
              .thenComparing(Diagnostic.BY_POSITION));
      return new LoadResult.Invalid(sorted);
    }
    return new LoadResult.Valid(config);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof MalformedInputException) {
      return "not UTF-8 text";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied (run zrepl as root, or as the user the daemon runs as)";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * The document's root node, null for an empty document, or a reported syntax error. An explicit
   * empty document ({@code ---}, {@code ---} and {@code ...}, only comments) or one that is just
   * {@code null} counts as empty: zrepl's YAML library unmarshals it into the defaults too.
   */
  static Node compose(String text, Problems p) {
    int before = p.count();
    ConfigText.checkSize(text, p);
    if (p.count() > before) {
      return null;
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    try {
      Node root = new Yaml(options).compose(new java.io.StringReader(text));
      return root instanceof ScalarNode s && s.getTag().equals(Tag.NULL) ? null : root;
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      if (mark == null) {
        p.at(1, 1, "invalid YAML: " + problem);
      } else {
        p.error(mark, "invalid YAML: " + problem);
      }
      return null;
    } catch (org.yaml.snakeyaml.reader.ReaderException e) {
      int[] at = ConfigText.lineAndColumn(text, e.getPosition());
      p.at(
          at[0],
          at[1],
          String.format(
              "invalid YAML: the character U+%04X is not allowed in a YAML file",
              e.getCodePoint()));
      return null;
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      p.at(1, 1, "invalid YAML: " + e.getMessage());
      return null;
    }
  }

  static List<Path> includedFiles(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".yml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }
}
