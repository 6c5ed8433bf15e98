package org.zrepl.transport.local;

import java.io.IOException;
import java.util.Objects;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;

/** The {@code local} transport's dialing end: connects to a listener in the same process. */
public final class LocalConnector implements Connector {
  private final LocalListener listener;
  private final ClientIdentity identity;

  public LocalConnector(LocalListener listener, ClientIdentity identity) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  @Override
  public Connection connect() throws IOException {
    return listener.dial(identity);
  }

  @Override
  public String describe() {
    return "local '" + listener.name() + "' as '" + identity + "'";
  }
}
