package org.zrepl.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.zrepl.transport.tls.TestPki;

/**
 * The transports {@link RemoteDaemonIT} replicates over, as the YAML of a {@code serve:} and a
 * {@code connect:} block. To run the running-daemon tests over another transport, add a {@link
 * DaemonWire} to {@link #all()}.
 */
final class DaemonWires {
  private DaemonWires() {}

  /** The client identity every wire gives the connecting daemon. */
  static final String IDENTITY = "pusher";

  /** A transport between two daemons on this machine. */
  interface DaemonWire {
    /** Sets up what one test needs (ports, files in {@code dir}); returns its YAML. */
    Snippets prepare(Path dir) throws IOException;
  }

  /**
   * The {@code serve:} and {@code connect:} blocks, each a YAML flow mapping, for one test; the
   * connecting side must get the identity {@link #IDENTITY}.
   */
  record Snippets(String serve, String connect) {}

  static Stream<DaemonWire> all() {
    return Stream.of(tcp(), tls());
  }

  static DaemonWire tcp() {
    return named(
        "tcp",
        dir -> {
          int port = freePort();
          return new Snippets(
              "{type: tcp, listen: '127.0.0.1:"
                  + port
                  + "', clients: {'127.0.0.1': "
                  + IDENTITY
                  + "}}",
              "{type: tcp, address: '127.0.0.1:" + port + "'}");
        });
  }

  /** Mutual TLS with certificates of a CA made for the test: server CN backup.test. */
  static DaemonWire tls() {
    return named(
        "tls",
        dir -> {
          int port = freePort();
          TestPki pki = TestPki.create("zrepl daemon test CA");
          Path ca = pki.writeCa(dir.resolve("ca.crt"));
          Instant now = Instant.now();
          TestPki.Issued server =
              pki.issue(
                  dir,
                  "backup.test",
                  List.of("backup.test"),
                  now.minusSeconds(60),
                  now.plus(Duration.ofDays(1)),
                  TestPki.KeyFormat.PKCS1_RSA);
          TestPki.Issued client = pki.issue(dir, IDENTITY);
          return new Snippets(
              "{type: tls, listen: '127.0.0.1:"
                  + port
                  + "', ca: '"
                  + ca
                  + "', cert: '"
                  + server.cert()
                  + "', key: '"
                  + server.key()
                  + "', client_cns: ["
                  + IDENTITY
                  + "]}",
              "{type: tls, address: '127.0.0.1:"
                  + port
                  + "', ca: '"
                  + ca
                  + "', cert: '"
                  + client.cert()
                  + "', key: '"
                  + client.key()
                  + "', server_cn: backup.test}");
        });
  }

  private static DaemonWire named(String name, DaemonWire w) {
    return new DaemonWire() {
      @Override
      public Snippets prepare(Path dir) throws IOException {
        return w.prepare(dir);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
