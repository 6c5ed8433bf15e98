package org.zrepl.cli;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.app.abstraction.AbstractionQuery;
import org.zrepl.app.abstraction.AbstractionType;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** zrepl's filter flags of {@code zfs-abstraction}: {@code --fs}, {@code --job}, {@code --type}. */
final class AbstractionFilter {

  @Option(
      names = "--fs",
      paramLabel = "FS|SPEC",
      description =
          "Only this filesystem (exactly it, not its children), or a comma-separated list of"
              + " <dataset-pattern>:<ok|!> pairs as in 'filesystems' (e.g. 'pool<:ok,pool/tmp<:!')."
              + " Default: every filesystem of every pool.")
  String fs;

  @Option(
      names = "--job",
      paramLabel = "JOB",
      description =
          "Only abstractions of this job id: a job name, or <source job>_C_<client> for one"
              + " puller of a source. Default: any job.")
  String job;

  @Option(
      names = "--type",
      paramLabel = "TYPES",
      split = ",",
      completionCandidates = AbstractionFilter.TypeWords.class,
      description = "Only these types (comma-separated): ${COMPLETION-CANDIDATES}. Default: all.")
  List<String> types;

  @Option(
      names = {"-p", "--concurrency"},
      paramLabel = "N",
      defaultValue = "1",
      description =
          "How many filesystems to query at once. Only 1 (the default) is supported:"
              + " filesystems are listed one after the other.")
  int concurrency;

  /** zrepl's type names, for help and completion. */
  static final class TypeWords extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    TypeWords() {
      super(List.of(AbstractionType.words().split("\\|", -1)));
    }
  }

  /** The query, or a usage error naming the flag and the problem. */
  AbstractionQuery query(CommandLine cl) {
    if (concurrency != 1) {
      throw new UsageException(
          cl,
          "--concurrency "
              + concurrency
              + " is not supported: filesystems are listed one after the other (each"
              + " filesystem's holds in one 'zfs holds'); leave it out or use 1");
    }
    Optional<DatasetPath> one = Optional.empty();
    Optional<DatasetFilter> filter = Optional.empty();
    if (fs != null && !fs.isEmpty()) {
      if (!fs.contains(":") && !fs.contains(",")) {
        try {
          one = Optional.of(DatasetPath.of(fs));
        } catch (IllegalArgumentException e) {
          throw new UsageException(cl, "invalid --fs '" + fs + "': " + e.getMessage());
        }
      } else {
        filter = Optional.of(filter(cl));
      }
    }
    Optional<String> jobId = Optional.ofNullable(job).filter(j -> !j.isEmpty());
    if (jobId.isPresent()) {
      try {
        DatasetPath.checkComponent(jobId.get());
      } catch (IllegalArgumentException e) {
        throw new UsageException(cl, "invalid --job '" + job + "': " + e.getMessage());
      }
    }
    return new AbstractionQuery(one, filter, jobId, types(cl));
  }

  private DatasetFilter filter(CommandLine cl) {
    List<Map.Entry<String, String>> rules = new ArrayList<>();
    for (String m : fs.split(",", -1)) {
      int colon = m.lastIndexOf(':');
      if (colon < 0) {
        throw new UsageException(
            cl,
            "invalid --fs: expecting a comma-separated list of <dataset-pattern>:<ok|!> pairs,"
                + " got '"
                + m
                + "'");
      }
      rules.add(new AbstractMap.SimpleEntry<>(m.substring(0, colon), m.substring(colon + 1)));
    }
    try {
      return DatasetFilter.ofEntries(rules);
    } catch (IllegalArgumentException e) {
      throw new UsageException(cl, "invalid --fs '" + fs + "': " + e.getMessage());
    }
  }

  private Set<AbstractionType> types(CommandLine cl) {
    if (types == null || types.isEmpty()) {
      return EnumSet.allOf(AbstractionType.class);
    }
    Set<AbstractionType> out = EnumSet.noneOf(AbstractionType.class);
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i);
      int n = i + 1;
      out.add(
          AbstractionType.of(t)
              .orElseThrow(
                  () ->
                      new UsageException(
                          cl,
                          "invalid --type #"
                              + n
                              + " '"
                              + t
                              + "': unknown abstraction type (one of "
                              + AbstractionType.words()
                              + ")")));
    }
    return out;
  }
}
