package org.zrepl.app.replication;

import java.util.ArrayList;
import java.util.List;

/** Collects every event; thread-safe. */
final class RecordingListener implements ProgressListener {

  private final List<ProgressEvent> events = new ArrayList<>();

  @Override
  public synchronized void on(ProgressEvent event) {
    events.add(event);
  }

  synchronized List<ProgressEvent> events() {
    return List.copyOf(events);
  }

  <T extends ProgressEvent> List<T> of(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
