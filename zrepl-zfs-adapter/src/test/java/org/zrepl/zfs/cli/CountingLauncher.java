package org.zrepl.zfs.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes commands to another launcher and records each argv. */
final class CountingLauncher implements ProcessLauncher {

  private final ProcessLauncher delegate;
  final List<List<String>> started = new CopyOnWriteArrayList<>();

  CountingLauncher(ProcessLauncher delegate) {
    this.delegate = delegate;
  }

  @Override
  public LaunchedProcess start(List<String> argv) throws IOException {
    started.add(List.copyOf(argv));
    return delegate.start(argv);
  }

  @Override
  public Optional<Pipeline> startPiped(List<String> first, List<String> second) throws IOException {
    Optional<Pipeline> p = delegate.startPiped(first, second);
    if (p.isPresent()) {
      started.add(List.copyOf(first));
      started.add(List.copyOf(second));
    }
    return p;
  }
}
