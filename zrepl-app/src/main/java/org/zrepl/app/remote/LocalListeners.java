package org.zrepl.app.remote;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.zrepl.transport.local.LocalListener;

/**
 * The daemon's in-process listeners by name ({@code serve: type: local, listener_name}), shared by
 * the serving job and the jobs that connect to it ({@code connect: type: local}).
 */
public final class LocalListeners {
  private final Map<String, LocalListener> byName = new ConcurrentHashMap<>();

  /** The listener named {@code name}, created on first use. */
  public LocalListener named(String name) {
    return byName.computeIfAbsent(name, LocalListener::new);
  }
}
