package org.zrepl.app.inspect;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.Target;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.dataset.Decision;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;

/**
 * {@code zrepl test filesystems}: how a job's {@code filesystems} filter or {@code mapping} decides
 * for one dataset or for every dataset on this machine.
 */
public final class InspectFilesystems {

  private final Zfs zfs;

  @Inject
  public InspectFilesystems(Zfs zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  /** What decides for a job: a filter (snap, push, source) or a mapping (local, pull, sink). */
  public record Selector(Function<DatasetPath, Decision> decide, boolean selectsLocalDatasets) {
    public Selector {
      Objects.requireNonNull(decide, "decide");
    }
  }

  /**
   * The job's selector. Throws IllegalArgumentException for a job that selects nothing by itself (a
   * sink or pull job with {@code root_fs}: the sending side decides).
   */
  public static Selector selectorOf(Job job) {
    if (job instanceof Job.Snap s) {
      return new Selector(s.filesystems().filter()::decide, true);
    }
    if (job instanceof Job.Push p) {
      return new Selector(p.filesystems().filter()::decide, true);
    }
    if (job instanceof Job.Source s) {
      return new Selector(s.filesystems().filter()::decide, true);
    }
    if (job instanceof Job.Local l) {
      return new Selector(l.mapping().mapping()::decide, true);
    }
    Target target = null;
    if (job instanceof Job.Pull p) {
      target = p.target();
    } else if (job instanceof Job.Sink s) {
      target = s.target();
    }
    if (target instanceof Target.Mapped m) {
      // The mapping applies to the sender's dataset names, which are not on this machine.
      return new Selector(m.mapping().mapping()::decide, false);
    }
    throw new IllegalArgumentException(
        "job '"
            + job.name()
            + "' ("
            + job.type()
            + ") has neither 'filesystems' nor 'mapping'; the sending side selects its datasets");
  }

  /** The decision for one dataset name (which need not exist). */
  public Decision one(Job job, DatasetPath dataset) {
    return selectorOf(job).decide().apply(dataset);
  }

  /**
   * Decisions for every filesystem and volume on this machine, sorted by name. Throws
   * IllegalArgumentException for a job whose datasets live on the other side (pull or sink).
   */
  public List<Decision> all(Job job) {
    Selector selector = selectorOf(job);
    if (!selector.selectsLocalDatasets()) {
      throw new IllegalArgumentException(
          "job '"
              + job.name()
              + "' ("
              + job.type()
              + ") maps the sender's datasets, which are not on this machine; use --input DATASET");
    }
    return zfs.listDatasets(List.of(), Set.of()).stream()
        .map(DatasetInfo::path)
        .map(selector.decide())
        .toList();
  }
}
