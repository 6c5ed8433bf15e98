package org.zrepl.transport.tls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Listener;
import org.zrepl.transport.tcp.SocketConnection;
import org.zrepl.transport.tcp.TcpListener;

/**
 * The {@code tls} transport's serving end. Each accepted socket does its TLS handshake on a thread
 * of its own, bounded by {@code handshake_timeout}, so a slow or silent client delays nobody else.
 * The client must present a certificate that chains to the CA file and whose CN is in {@code
 * client_cns}; that CN is its identity. Refused clients are logged with the reason and never
 * returned by {@link #accept()}.
 */
public final class TlsListener implements Listener {
  private static final Logger LOG = LoggerFactory.getLogger(TlsListener.class);
  private static final Object CLOSED = new Object();

  /** TLS handshakes in progress at once; more connections are closed at once. */
  static final int MAX_HANDSHAKES = 64;

  private final ServerSocket socket;
  private final SSLSocketFactory factory;
  private final Duration handshakeTimeout;
  private final Duration readTimeout;
  private final BlockingQueue<Object> ready = new LinkedBlockingQueue<>();
  private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
  private final ExecutorService handshakes;
  private final java.util.concurrent.Semaphore handshakeSlots =
      new java.util.concurrent.Semaphore(MAX_HANDSHAKES);
  private final java.util.concurrent.atomic.AtomicLong tooMany =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  private TlsListener(
      ServerSocket socket,
      SSLSocketFactory factory,
      Duration handshakeTimeout,
      Duration readTimeout) {
    this.socket = socket;
    this.factory = factory;
    this.handshakeTimeout = handshakeTimeout;
    this.readTimeout = readTimeout;
    AtomicInteger n = new AtomicInteger();
    this.handshakes =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "zrepl-tls-handshake-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds {@code address} (port 0 picks a free port, see {@link #port()}) and starts accepting.
   *
   * @param clientCns the CNs of the client certificates to accept; each is the client's identity
   */
  public static TlsListener bind(
      InetSocketAddress address,
      TlsFiles files,
      Collection<String> clientCns,
      Duration handshakeTimeout)
      throws IOException {
    return bind(address, files, clientCns, handshakeTimeout, DEFAULT_READ_TIMEOUT);
  }

  /**
   * As {@link #bind(InetSocketAddress, TlsFiles, Collection, Duration)}; after the handshake,
   * connections wait at most {@code readTimeout} for their client's bytes ({@link Duration#ZERO}:
   * forever).
   */
  public static TlsListener bind(
      InetSocketAddress address,
      TlsFiles files,
      Collection<String> clientCns,
      Duration handshakeTimeout,
      Duration readTimeout)
      throws IOException {
    return bind(address, false, files, clientCns, handshakeTimeout, readTimeout);
  }

  /**
   * As {@link #bind(InetSocketAddress, TlsFiles, Collection, Duration, Duration)}, with {@code
   * listen_freebind}.
   */
  public static TlsListener bind(
      InetSocketAddress address,
      boolean freebind,
      TlsFiles files,
      Collection<String> clientCns,
      Duration handshakeTimeout,
      Duration readTimeout)
      throws IOException {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException(
          "handshake_timeout must be positive, got " + handshakeTimeout);
    }
    clientCns.forEach(ClientIdentity::new); // each must be usable as an identity
    SSLSocketFactory factory =
        files.context(PeerCheck.clientCnIn(Set.copyOf(clientCns))).getSocketFactory();
    ServerSocket s = TcpListener.listen(address, freebind);
    TlsListener l = new TlsListener(s, factory, handshakeTimeout, readTimeout);
    Thread t = new Thread(l::acceptLoop, "zrepl-tls-accept " + l.describe());
    t.setDaemon(true);
    t.start();
    return l;
  }

  /** Binds {@code listen} as written in a config ({@code host:port}, {@code :port}). */
  public static TlsListener bind(
      String listen, TlsFiles files, Collection<String> clientCns, Duration handshakeTimeout)
      throws IOException {
    return bind(TcpListener.listenAddress(listen), files, clientCns, handshakeTimeout);
  }

  /** As {@link #bind(String, TlsFiles, Collection, Duration)}, with {@code listen_freebind}. */
  public static TlsListener bind(
      String listen,
      boolean freebind,
      TlsFiles files,
      Collection<String> clientCns,
      Duration handshakeTimeout)
      throws IOException {
    return bind(
        TcpListener.listenAddress(listen),
        freebind,
        files,
        clientCns,
        handshakeTimeout,
        DEFAULT_READ_TIMEOUT);
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    try {
      while (!closed) {
        Socket s = socket.accept();
        if (!handshakeSlots.tryAcquire()) {
          // bounded before a byte is read: a flood of handshakes costs no thread beyond these
          closeQuietly(s);
          long n = tooMany.incrementAndGet();
          if (n == 1 || n % 1000 == 0) {
            LOG.warn(
                "{}: refused connection from {}: {} TLS handshakes in progress, the limit ({}"
                    + " refused so far)",
                describe(),
                TcpListener.hostPort((InetSocketAddress) s.getRemoteSocketAddress()),
                MAX_HANDSHAKES,
                n);
          }
          continue;
        }
        handshaking.add(s);
        try {
          handshakes.execute(() -> handshake(s));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          handshakeSlots.release();
          closeQuietly(s); // closed meanwhile
        }
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.error("{}: accepting failed: {}", describe(), e.toString(), e);
      }
    } finally {
      ready.add(CLOSED);
    }
  }

  private void handshake(Socket plain) {
    InetSocketAddress peer = (InetSocketAddress) plain.getRemoteSocketAddress();
    String from = TcpListener.hostPort(peer);
    try {
      plain.setTcpNoDelay(true);
      SSLSocket t = (SSLSocket) factory.createSocket(plain, null, plain.getPort(), true);
      t.setUseClientMode(false);
      t.setNeedClientAuth(true);
      t.setEnabledProtocols(TlsFiles.PROTOCOLS.clone());
      t.setEnabledCipherSuites(TlsFiles.preferAes128Gcm(t.getEnabledCipherSuites()));
      t.setSoTimeout(Math.toIntExact(Math.max(1, handshakeTimeout.toMillis())));
      t.startHandshake();
      X509Certificate leaf = (X509Certificate) t.getSession().getPeerCertificates()[0];
      String cn = Names.commonName(leaf).orElseThrow();
      ClientIdentity id = new ClientIdentity(cn);
      ready.add(
          new Listener.Accepted(
              SocketConnection.withReadTimeout(t, "tls " + from + " (" + cn + ")", readTimeout),
              id));
    } catch (SocketTimeoutException e) {
      refuse(plain, from, "no TLS handshake within handshake_timeout " + handshakeTimeout);
    } catch (IOException | RuntimeException e) {
      refuse(plain, from, TlsConnector.reason(e));
    } finally {
      handshaking.remove(plain);
      handshakeSlots.release();
    }
  }

  private void refuse(Socket s, String from, String why) {
    closeQuietly(s);
    if (!closed) {
      LOG.warn("{}: refused connection from {}: {}", describe(), from, why);
    }
  }

  @Override
  public Listener.Accepted accept() throws IOException {
    Object o;
    try {
      o = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while accepting on " + describe());
    }
    if (o == CLOSED) {
      ready.add(CLOSED); // for any other thread in accept()
      throw new SocketException(describe() + " is closed");
    }
    return (Listener.Accepted) o;
  }

  @Override
  public String describe() {
    return "tls listener "
        + TcpListener.hostPort((InetSocketAddress) socket.getLocalSocketAddress());
  }

  @Override
  public void close() throws IOException {
    closed = true;
    try {
      socket.close();
    } finally {
      handshakes.shutdownNow();
      handshaking.forEach(TlsListener::closeQuietly);
      for (Object o : ready) {
        if (o instanceof Listener.Accepted a) {
          closeQuietly(a.connection());
        }
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // giving the connection up anyway
    }
  }
}
