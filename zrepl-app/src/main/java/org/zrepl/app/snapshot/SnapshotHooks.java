package org.zrepl.app.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.app.config.Hook;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.process.CommandOutcome;
import org.zrepl.port.process.CommandRequest;
import org.zrepl.port.process.CommandRunner;

/**
 * zrepl's snapshot hooks for one filesystem, as its docs describe them: pre-edges run in
 * configuration order; a failing hook with {@code err_is_fatal} stops the later pre-edges and the
 * snapshot; post-edges run in reverse order, only for hooks whose pre-edge succeeded. A hook runs
 * only for filesystems its {@code filesystems} filter selects. Failures never affect other
 * filesystems. Output goes to the log.
 *
 * <p>{@code command} hooks get {@code ZREPL_HOOKTYPE}, {@code ZREPL_FS}, {@code ZREPL_SNAPNAME},
 * {@code ZREPL_DRYRUN} and {@code ZREPL_TIMEOUT} (whole seconds). The {@code postgres-checkpoint}
 * and {@code mysql-lock-tables} hooks do not get here: the configuration loader refuses them.
 */
public final class SnapshotHooks {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotHooks.class);

  private final List<Hook> hooks;
  private final CommandRunner runner;

  public SnapshotHooks(List<Hook> hooks, CommandRunner runner) {
    this.hooks = List.copyOf(hooks);
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /** No hooks at all. */
  public static SnapshotHooks none() {
    return new SnapshotHooks(List.of(), request -> new CommandOutcome.NotStarted("no hooks"));
  }

  public boolean isEmpty() {
    return hooks.isEmpty();
  }

  /** What the pre-edges of one filesystem did. */
  record PreEdge(List<Hook> succeeded, List<HookRun> runs, boolean fatal) {
    PreEdge {
      succeeded = List.copyOf(succeeded);
      runs = List.copyOf(runs);
    }
  }

  PreEdge runPre(DatasetPath fs, String snapshotName, boolean dryRun) {
    List<Hook> ok = new ArrayList<>();
    List<HookRun> runs = new ArrayList<>();
    for (Hook h : hooks) {
      if (!h.filesystems().filter().matches(fs)) {
        continue;
      }
      HookRun run = invoke(h, HookRun.Edge.PRE, fs, snapshotName, dryRun);
      runs.add(run);
      if (run.ok()) {
        ok.add(h);
      } else if (h.errIsFatal()) {
        LOG.warn("{}; err_is_fatal: not snapshotting {}", run.describe(), fs);
        return new PreEdge(ok, runs, true);
      }
    }
    return new PreEdge(ok, runs, false);
  }

  List<HookRun> runPost(DatasetPath fs, String snapshotName, boolean dryRun, PreEdge pre) {
    List<HookRun> runs = new ArrayList<>();
    for (int i = pre.succeeded().size() - 1; i >= 0; i--) {
      runs.add(invoke(pre.succeeded().get(i), HookRun.Edge.POST, fs, snapshotName, dryRun));
    }
    return runs;
  }

  private HookRun invoke(
      Hook hook, HookRun.Edge edge, DatasetPath fs, String snapshotName, boolean dryRun) {
    if (!(hook instanceof Hook.Command c)) {
      throw new IllegalStateException("unknown hook " + hook);
    }
    Map<String, String> env =
        Map.of(
            "ZREPL_HOOKTYPE", edge.word(),
            "ZREPL_FS", fs.toString(),
            "ZREPL_SNAPNAME", snapshotName,
            "ZREPL_DRYRUN", Boolean.toString(dryRun),
            "ZREPL_TIMEOUT", wholeSeconds(c));
    CommandOutcome outcome = runner.run(new CommandRequest(List.of(c.path()), env, c.timeout()));
    HookRun run = new HookRun(c.path(), edge, fs, outcome.succeeded(), outcome.describe());
    String output = outcome.output().strip();
    if (run.ok()) {
      LOG.info("{}{}", run.describe(), output.isEmpty() ? "" : "\n" + output);
    } else {
      LOG.warn("{}{}", run.describe(), output.isEmpty() ? "" : "\n" + output);
    }
    return run;
  }

  private static String wholeSeconds(Hook.Command c) {
    return Long.toString(c.timeout().toSeconds());
  }
}
