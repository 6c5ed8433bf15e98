package org.zrepl.app.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.app.config.Connect;
import org.zrepl.app.config.Global;
import org.zrepl.app.config.Serve;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.Wires;

/**
 * Builds the wire of a {@code connect:} or {@code serve:} block: {@code tcp}, {@code tls}, {@code
 * ssh+stdinserver} and {@code local}. TLS files are read (and checked against the clock) when the
 * connector or listener is built.
 */
public final class Transports {
  private final Wires wires;
  private final LocalListeners locals;
  private final Supplier<Path> stdinserverSockdir;

  /**
   * Wires of its own ({@code local} listeners shared only by what this object builds); stdinserver
   * listeners use the default {@code global.serve.stdinserver.sockdir}.
   */
  public Transports(Wires wires) {
    this(wires, () -> Global.DEFAULT_STDINSERVER_SOCKDIR);
  }

  /** {@code stdinserverSockdir}: the current {@code global.serve.stdinserver.sockdir}. */
  public Transports(Wires wires, Supplier<Path> stdinserverSockdir) {
    this.wires = Objects.requireNonNull(wires, "wires");
    this.locals = new LocalListeners(wires);
    this.stdinserverSockdir = Objects.requireNonNull(stdinserverSockdir, "stdinserverSockdir");
  }

  /** The active side's connector. */
  public Connector connector(Connect c) {
    if (c instanceof Connect.Tcp t) {
      return wires.tcp(t.address(), t.dialTimeout());
    }
    if (c instanceof Connect.SshStdinserver s) {
      return wires.ssh(
          s.host(), s.user(), s.port(), Path.of(s.identityFile()), s.options(), s.dialTimeout());
    }
    if (c instanceof Connect.Tls t) {
      return wires.tls(t.address(), t.ca(), t.cert(), t.key(), t.serverCn(), t.dialTimeout());
    }
    if (c instanceof Connect.Local l) {
      return locals.connector(l.listenerName(), new ClientIdentity(l.clientIdentity()));
    }
    throw new UnsupportedOperationException(
        "connect type of " + c.getClass().getSimpleName() + " is not implemented yet");
  }

  /** The passive side's listener, bound (for tcp) at once. */
  public Listener listener(Serve s) throws IOException {
    if (s instanceof Serve.Tcp t) {
      return wires.tcpListener(t.listen(), t.listenFreebind(), t.clients());
    }
    if (s instanceof Serve.Stdinserver st) {
      return wires.stdinserverListener(
          stdinserverSockdir.get(),
          st.clientIdentities().stream().map(ClientIdentity::new).toList());
    }
    if (s instanceof Serve.Tls t) {
      return wires.tlsListener(
          t.listen(),
          t.listenFreebind(),
          t.ca(),
          t.cert(),
          t.key(),
          t.clientCns(),
          t.handshakeTimeout());
    }
    if (s instanceof Serve.Local l) {
      return locals.named(l.listenerName());
    }
    throw new UnsupportedOperationException(
        "serve type of " + s.getClass().getSimpleName() + " is not implemented yet");
  }
}
