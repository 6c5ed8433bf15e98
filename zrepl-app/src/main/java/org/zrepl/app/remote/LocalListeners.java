package org.zrepl.app.remote;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Wires;

/**
 * The daemon's in-process listeners by name ({@code serve: type: local, listener_name}), shared by
 * the serving job and the jobs that connect to it ({@code connect: type: local}).
 */
public final class LocalListeners {
  private final Wires wires;
  private final Map<String, Listener> byName = new ConcurrentHashMap<>();

  public LocalListeners(Wires wires) {
    this.wires = Objects.requireNonNull(wires, "wires");
  }

  /** The listener named {@code name}, created on first use. */
  public Listener named(String name) {
    return byName.computeIfAbsent(name, wires::localListener);
  }

  /** A connector to the listener named {@code name}, as {@code identity}. */
  public Connector connector(String name, ClientIdentity identity) {
    return wires.localConnector(named(name), identity);
  }
}
