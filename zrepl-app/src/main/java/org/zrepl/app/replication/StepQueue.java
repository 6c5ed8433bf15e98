package org.zrepl.app.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Hands out filesystems to workers, one step at a time: always the ready filesystem whose next
 * snapshot is oldest. A filesystem needing an initial replication waits until every ancestor in the
 * job that also needs one has received its first step, so parents exist before children arrive. If
 * such an ancestor fails first, its waiting descendants fail too.
 */
final class StepQueue {

  private final PriorityQueue<FilesystemRun> ready =
      new PriorityQueue<>(FilesystemRun.NEXT_SNAPSHOT_OLDEST_FIRST);
  private final List<FilesystemRun> waiting = new ArrayList<>();
  private final Map<DatasetPath, FilesystemRun> all = new LinkedHashMap<>();
  private final ProgressListener listener;
  private int running;

  StepQueue(Collection<FilesystemRun> runs, ProgressListener listener) {
    this.listener = listener;
    runs.forEach(r -> all.put(r.filesystem, r));
    for (FilesystemRun r : runs) {
      if (blocker(r).isPresent()) {
        waiting.add(r);
        listener.on(
            new ProgressEvent.StateChanged(r.filesystem, FilesystemState.WAITING_FOR_PARENT));
      } else {
        ready.add(r);
        listener.on(new ProgressEvent.StateChanged(r.filesystem, FilesystemState.READY));
      }
    }
  }

  private Optional<FilesystemRun> blocker(FilesystemRun r) {
    if (!r.initial) {
      return Optional.empty();
    }
    for (DatasetPath a : r.filesystem.ancestors()) {
      FilesystemRun p = all.get(a);
      if (p != null && (p.blocksChildren() || p.failedInitially())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The next filesystem to step, or empty when everything is done. */
  synchronized Optional<FilesystemRun> take() throws InterruptedException {
    while (ready.isEmpty()) {
      if (running == 0) {
        failStuck();
        return Optional.empty();
      }
      wait();
    }
    running++;
    return Optional.of(ready.poll());
  }

  /** A worker is done with one step (or gave up) on {@code r}. */
  synchronized void put(FilesystemRun r) {
    running--;
    if (!r.finished() && r.hasNext()) {
      ready.add(r);
    }
    release();
    notifyAll();
  }

  /** Moves waiting runs whose ancestors are done to ready; fails those whose ancestor failed. */
  private void release() {
    boolean changed = true;
    while (changed) {
      changed = releaseOnce();
    }
  }

  private boolean releaseOnce() {
    boolean changed = false;
    for (Iterator<FilesystemRun> it = waiting.iterator(); it.hasNext(); ) {
      FilesystemRun w = it.next();
      Optional<FilesystemRun> b = blocker(w);
      if (b.isEmpty()) {
        changed = true;
        it.remove();
        ready.add(w);
        listener.on(new ProgressEvent.StateChanged(w.filesystem, FilesystemState.READY));
      } else if (b.get().failedInitially()) {
        changed = true;
        it.remove();
        w.result =
            new FilesystemResult.Failed(
                w.filesystem,
                "not attempted: parent "
                    + b.get().filesystem
                    + " failed its initial replication: "
                    + ((FilesystemResult.Failed) b.get().result).error(),
                false,
                0,
                0);
        finish(w);
      }
    }
    return changed;
  }

  private void failStuck() {
    for (FilesystemRun w : waiting) {
      w.result =
          new FilesystemResult.Failed(
              w.filesystem, "not attempted: still waiting for a parent at the end", false, 0, 0);
      finish(w);
    }
    waiting.clear();
  }

  private void finish(FilesystemRun w) {
    listener.on(new ProgressEvent.StateChanged(w.filesystem, FilesystemState.FAILED));
    listener.on(new ProgressEvent.FilesystemFinished(w.result));
  }
}
