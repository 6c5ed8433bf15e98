package org.zrepl.app.daemon;

import java.util.ArrayList;
import java.util.List;
import org.zrepl.app.config.Job;

/** A runtime job that records what the daemon asked of it. */
final class RecordingJob implements JobRuntime {

  final String name;
  final List<String> calls = new ArrayList<>();
  final Job config;
  RuntimeException startFailure;

  RecordingJob(Job config) {
    this.name = config.name();
    this.config = config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "recording";
  }

  @Override
  public synchronized void start() {
    calls.add("start");
    if (startFailure != null) {
      throw startFailure;
    }
  }

  @Override
  public synchronized void stop() {
    calls.add("stop");
  }

  @Override
  public JobStatus status() {
    return new JobStatus(name, type(), "idle", "", "", List.of(), List.of());
  }

  @Override
  public synchronized void wakeup() {
    calls.add("wakeup");
  }

  @Override
  public synchronized void reset() {
    throw new SignalRefusedException("job '" + name + "' has nothing to reset");
  }

  @Override
  public synchronized void snapshotNow() {
    calls.add("snapshot");
  }
}
