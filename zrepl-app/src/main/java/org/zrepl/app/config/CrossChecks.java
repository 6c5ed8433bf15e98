package org.zrepl.app.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.zrepl.domain.dataset.DatasetPath;

/** Checks that span jobs, run after each job was read on its own. */
final class CrossChecks {

  private CrossChecks() {}

  /** Job names are unique across the main file and all includes. */
  static void duplicateNames(List<Node> jobNodes, List<Problems> files) {
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < jobNodes.size(); i++) {
      Node name = nameNode(jobNodes.get(i));
      if (name == null) {
        continue;
      }
      String value = ((ScalarNode) name).getValue();
      // A name merged in from another job (<<: *base) is reported at the job that reuses it.
      Node at = isDirectChild(jobNodes.get(i), name) ? name : jobNodes.get(i);
      String where = files.get(i).file().displayName() + ":" + (at.getStartMark().getLine() + 1);
      String earlier = first.putIfAbsent(value, where);
      if (earlier != null) {
        files
            .get(i)
            .error(at, "duplicate job name '" + value + "' (first defined at " + earlier + ")");
      }
    }
  }

  @SuppressWarnings("ReferenceEquality") // node identity: was this very node written in the job?
  private static boolean isDirectChild(Node job, Node value) {
    return ((MappingNode) job).getValue().stream().anyMatch(t -> t.getValueNode() == value);
  }

  /** The job's {@code name} value, also when it comes in through a merge key. */
  private static Node nameNode(Node job) {
    if (!(job instanceof MappingNode m)) {
      return null;
    }
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && !k.getTag().equals(Tag.MERGE)
          && k.getValue().equals("name")) {
        return t.getValueNode() instanceof ScalarNode v && !ValueReads.isNull(v) ? v : null;
      }
    }
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
        List<Node> sources =
            t.getValueNode() instanceof SequenceNode seq
                ? seq.getValue()
                : List.of(t.getValueNode());
        for (Node source : sources) {
          Node name = nameNode(source);
          if (name != null) {
            return name;
          }
        }
      }
    }
    return null;
  }

  /** Where a receiving job writes: its root_fs, or each target of its mapping. */
  private record Root(DatasetPath path, JobParser.Parsed job, Node at) {}

  /**
   * Receiving jobs (sink, pull, local) must write to disjoint subtrees, or their pruning and
   * placeholder handling would fight over the same datasets.
   */
  static void overlappingRoots(List<JobParser.Parsed> jobs) {
    List<Root> roots = new ArrayList<>();
    for (JobParser.Parsed parsed : jobs) {
      Job job = parsed.job();
      Target target = null;
      if (job instanceof Job.Sink s) {
        target = s.target();
      } else if (job instanceof Job.Pull pl) {
        target = pl.target();
      } else if (job instanceof Job.Local l) {
        target = new Target.Mapped(l.mapping());
      }
      List<Root> mine = new ArrayList<>();
      if (target instanceof Target.RootFs r) {
        mine.add(new Root(r.root(), parsed, parsed.map().get("root_fs")));
      } else if (target instanceof Target.Mapped m) {
        Node at = parsed.map().get("mapping");
        for (String t : m.mapping().patterns().values()) {
          if (DatasetPath.isValid(t)) {
            mine.add(new Root(DatasetPath.of(t), parsed, at));
          }
        }
      }
      for (Root r : mine) {
        for (Root other : roots) {
          if (r.path().hasPrefix(other.path()) || other.path().hasPrefix(r.path())) {
            parsed
                .map()
                .problems()
                .error(
                    r.at(),
                    "'"
                        + r.path()
                        + "' of job '"
                        + parsed.job().name()
                        + "' overlaps with '"
                        + other.path()
                        + "' of job '"
                        + other.job().job().name()
                        + "'; receiving jobs need disjoint subtrees");
            break;
          }
        }
      }
      roots.addAll(mine);
    }
  }

  /**
   * A source gives each puller the job id {@code <source>_C_<client>} (its cursor bookmark and step
   * holds carry it, see {@code EndpointNames.CLIENT_SEPARATOR}); another job with such a name would
   * share that puller's cursor and holds, and each would move or release what the other needs.
   */
  static void pullerIdCollisions(List<JobParser.Parsed> jobs) {
    for (JobParser.Parsed source : jobs) {
      if (!(source.job() instanceof Job.Source)) {
        continue;
      }
      String prefix = source.job().name() + "_C_";
      for (JobParser.Parsed other : jobs) {
        String name = other.job().name();
        if (name.startsWith(prefix)) {
          Node at = other.map().get("name");
          other
              .map()
              .problems()
              .error(
                  at != null ? at : other.map().node(),
                  "job name '"
                      + name
                      + "' is the job id that source job '"
                      + source.job().name()
                      + "' gives its puller '"
                      + name.substring(prefix.length())
                      + "' (its cursor bookmark and holds carry that id); rename this job");
        }
      }
    }
  }

  /** Every local connect names a listener some job serves, and no listener is served twice. */
  static void localListeners(List<JobParser.Parsed> jobs) {
    Map<String, JobParser.Parsed> served = new HashMap<>();
    for (JobParser.Parsed parsed : jobs) {
      Serve serve = null;
      if (parsed.job() instanceof Job.Sink s) {
        serve = s.serve();
      } else if (parsed.job() instanceof Job.Source s) {
        serve = s.serve();
      }
      if (serve instanceof Serve.Local l) {
        JobParser.Parsed earlier = served.putIfAbsent(l.listenerName(), parsed);
        if (earlier != null) {
          parsed
              .map()
              .problems()
              .error(
                  parsed.map().get("serve"),
                  "local listener '"
                      + l.listenerName()
                      + "' is already served by job '"
                      + earlier.job().name()
                      + "'");
        }
      }
    }
    for (JobParser.Parsed parsed : jobs) {
      Connect connect = null;
      if (parsed.job() instanceof Job.Push p) {
        connect = p.connect();
      } else if (parsed.job() instanceof Job.Pull p) {
        connect = p.connect();
      }
      if (connect instanceof Connect.Local l && !served.containsKey(l.listenerName())) {
        parsed
            .map()
            .problems()
            .error(
                parsed.map().get("connect"),
                "no job serves the local listener '"
                    + l.listenerName()
                    + "'"
                    + Suggestions.didYouMean(l.listenerName(), served.keySet()));
      }
    }
  }
}
