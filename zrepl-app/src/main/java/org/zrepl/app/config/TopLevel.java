package org.zrepl.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The top level of the main file ({@code global}, {@code jobs}, {@code include}) and includes. */
final class TopLevel {

  private TopLevel() {}

  static Config read(Node root, Path dir, String displayName, List<String> order, Problems p) {
    if (root == null) {
      return new Config(Global.defaults(), List.of());
    }
    YamlMap m = YamlMap.of(root, "the configuration file", p);
    if (m == null) {
      return null;
    }
    Global global = GlobalParser.global(m.get("global"), p);
    List<Node> jobNodes = new ArrayList<>();
    List<Problems> jobFiles = new ArrayList<>();
    collectJobs(m.get("jobs"), p, jobNodes, jobFiles);
    for (Node entry : orEmpty(ValueReads.list(m.get("include"), "include", p))) {
      include(entry, dir, displayName, order, p, jobNodes, jobFiles);
    }
    m.finish();
    List<JobParser.Parsed> jobs = new ArrayList<>();
    for (int i = 0; i < jobNodes.size(); i++) {
      JobParser.Parsed parsed = JobParser.job(jobNodes.get(i), jobFiles.get(i));
      if (parsed != null) {
        jobs.add(parsed);
      }
    }
    CrossChecks.duplicateNames(jobNodes, jobFiles);
    CrossChecks.overlappingRoots(jobs);
    CrossChecks.localListeners(jobs);
    CrossChecks.pullerIdCollisions(jobs);
    if (p.count() > 0) {
      return null;
    }
    return new Config(global, jobs.stream().map(JobParser.Parsed::job).toList());
  }

  private static void collectJobs(
      Node jobsNode, Problems p, List<Node> jobNodes, List<Problems> jobFiles) {
    for (Node n : orEmpty(ValueReads.list(jobsNode, "jobs", p))) {
      jobNodes.add(n);
      jobFiles.add(p);
    }
  }

  private static void include(
      Node entry,
      Path dir,
      String displayName,
      List<String> order,
      Problems p,
      List<Node> jobNodes,
      List<Problems> jobFiles) {
    String given = ValueReads.string(entry, "include entry", p);
    if (given == null) {
      return;
    }
    Path path = dir.resolve(given).normalize();
    if (!Files.exists(path)) {
      p.error(
          entry,
          "included path '"
              + given
              + "' does not exist (looked for "
              + displayOf(displayName, dir, path)
              + ")");
      return;
    }
    if (!Files.isDirectory(path) && !path.getFileName().toString().endsWith(".yml")) {
      p.error(entry, "included files must end with '.yml', got '" + given + "'");
      return;
    }
    List<Path> files;
    try {
      files = ConfigLoader.includedFiles(path);
    } catch (IOException e) {
      p.error(entry, "cannot list included directory '" + given + "': " + ConfigLoader.reason(e));
      return;
    }
    for (Path file : files) {
      String text;
      try {
        text = ConfigLoader.read(file);
      } catch (IOException e) {
        p.error(entry, "cannot read included file " + file + ": " + ConfigLoader.reason(e));
        continue;
      }
      String shown = displayOf(displayName, dir, file);
      order.add(shown);
      Problems fp = p.forFile(SourceFile.of(shown, text));
      Node root = ConfigLoader.compose(text, fp);
      if (root == null) {
        continue;
      }
      YamlMap m = YamlMap.of(root, "included file", fp);
      if (m == null) {
        continue;
      }
      for (String key : m.keys()) {
        if (key.equals("include")) {
          fp.error(m.keyNode(key), "included files must not include other files");
        } else if (!key.equals("jobs")) {
          fp.error(m.keyNode(key), "included files may only contain 'jobs', got '" + key + "'");
        }
      }
      collectJobs(m.get("jobs"), fp, jobNodes, jobFiles);
    }
  }

  /** The included file's name, shown relative to where the main file was shown from. */
  private static String displayOf(String mainDisplay, Path dir, Path file) {
    Path mainParent = Path.of(mainDisplay).getParent();
    Path relative = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
    if (file.isAbsolute() && relative.startsWith("..")) {
      return file.toString();
    }
    return mainParent == null ? relative.toString() : mainParent.resolve(relative).toString();
  }

  private static List<Node> orEmpty(List<Node> nodes) {
    return nodes == null ? List.of() : nodes;
  }
}
