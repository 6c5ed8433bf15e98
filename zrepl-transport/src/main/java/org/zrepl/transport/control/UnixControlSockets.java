package org.zrepl.transport.control;

import java.nio.file.Path;
import org.zrepl.port.transport.control.ControlHandler;
import org.zrepl.port.transport.control.ControlSockets;

/** The {@link ControlSockets} port over a unix-domain socket ({@link ControlServer}). */
public final class UnixControlSockets implements ControlSockets {

  @Override
  public ControlSocket serve(Path socket, ControlHandler handler) {
    return ControlServer.start(socket, handler);
  }

  @Override
  public void ensurePrivate(Path dir) {
    SocketDirectory.ensurePrivate(dir);
  }
}
