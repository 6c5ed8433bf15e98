package org.zrepl.app.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.zrepl.app.config.Connect;
import org.zrepl.app.config.Global;
import org.zrepl.app.config.Serve;
import org.zrepl.transport.conn.ClientIdentity;
import org.zrepl.transport.conn.Connector;
import org.zrepl.transport.conn.Listener;
import org.zrepl.transport.local.LocalConnector;
import org.zrepl.transport.stdinserver.SshConnector;
import org.zrepl.transport.stdinserver.StdinserverListener;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;
import org.zrepl.transport.tls.TlsConnector;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

/**
 * Builds the wire of a {@code connect:} or {@code serve:} block: {@code tcp}, {@code tls}, {@code
 * ssh+stdinserver} and {@code local}. TLS files are read (and checked against the clock) when the
 * connector or listener is built.
 */
public final class Transports {
  private final LocalListeners locals;
  private final Clock clock;
  private final Supplier<Path> stdinserverSockdir;

  /** Stdinserver listeners use the default {@code global.serve.stdinserver.sockdir}. */
  public Transports(LocalListeners locals, Clock clock) {
    this(locals, clock, () -> Global.DEFAULT_STDINSERVER_SOCKDIR);
  }

  /** {@code stdinserverSockdir}: the current {@code global.serve.stdinserver.sockdir}. */
  public Transports(LocalListeners locals, Clock clock, Supplier<Path> stdinserverSockdir) {
    this.locals = Objects.requireNonNull(locals, "locals");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stdinserverSockdir = Objects.requireNonNull(stdinserverSockdir, "stdinserverSockdir");
  }

  /** The active side's connector. */
  public Connector connector(Connect c) {
    if (c instanceof Connect.Tcp t) {
      return TcpConnector.of(t.address(), t.dialTimeout());
    }
    if (c instanceof Connect.SshStdinserver s) {
      return new SshConnector(
          "ssh",
          s.host(),
          s.user(),
          s.port(),
          Path.of(s.identityFile()),
          s.options(),
          s.dialTimeout());
    }
    if (c instanceof Connect.Tls t) {
      return TlsConnector.of(
          t.address(),
          TlsFiles.load(t.ca(), t.cert(), t.key(), clock),
          t.serverCn(),
          t.dialTimeout());
    }
    if (c instanceof Connect.Local l) {
      return new LocalConnector(
          locals.named(l.listenerName()), new ClientIdentity(l.clientIdentity()));
    }
    throw new UnsupportedOperationException(
        "connect type of " + c.getClass().getSimpleName() + " is not implemented yet");
  }

  /** The passive side's listener, bound (for tcp) at once. */
  public Listener listener(Serve s) throws IOException {
    if (s instanceof Serve.Tcp t) {
      return TcpListener.bind(t.listen(), t.listenFreebind(), ClientMap.of(t.clients()));
    }
    if (s instanceof Serve.Stdinserver st) {
      return StdinserverListener.bind(
          stdinserverSockdir.get(),
          st.clientIdentities().stream().map(ClientIdentity::new).toList());
    }
    if (s instanceof Serve.Tls t) {
      return TlsListener.bind(
          t.listen(),
          t.listenFreebind(),
          TlsFiles.load(t.ca(), t.cert(), t.key(), clock),
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
