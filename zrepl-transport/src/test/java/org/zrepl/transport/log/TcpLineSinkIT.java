package org.zrepl.transport.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.transport.Listener;
import org.zrepl.transport.tls.TestPki;
import org.zrepl.transport.tls.TlsFiles;
import org.zrepl.transport.tls.TlsListener;

class TcpLineSinkIT {

  @Test
  void sendsLinesAndRetriesOnlyAfterTheInterval() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
      int port = server.getLocalPort();
      try (TcpLineSink sink = new TcpLineSink("127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
        sink.accept("first line");
        sink.accept("second line");
        try (Socket peer = server.accept();
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
          assertThat(in.readLine()).isEqualTo("first line");
          assertThat(in.readLine()).isEqualTo("second line");
        }
      }
    }
  }

  @Test
  void anUnreachablePeerLosesLinesWithoutThrowing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    try (TcpLineSink sink = new TcpLineSink("127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
      sink.accept("lost");
      sink.accept("lost too (no reconnect before the retry interval)");
    }
  }

  @Test
  void sendSaysWhyALineWasDropped() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    try (TcpLineSink sink = new TcpLineSink("127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.send("lost"))
          .hasMessage("cannot connect to log server tcp:127.0.0.1:" + port)
          .hasCauseInstanceOf(java.io.IOException.class);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.send("lost too"))
          .hasMessageStartingWith("not connected to log server tcp:127.0.0.1:" + port + " since: ")
          .hasMessageEndingWith("; next attempt at 2026-11-25T10:00:10Z");
    }
  }

  @Test
  void tcp4DialsOnlyIpv4() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Clock t0 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
      int port = server.getLocalPort();
      try (TcpLineSink sink =
          new TcpLineSink("tcp4", "localhost:" + port, Duration.ofSeconds(10), t0)) {
        sink.send("over ipv4");
        try (Socket peer = server.accept();
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
          assertThat(in.readLine()).isEqualTo("over ipv4");
        }
      }
      try (TcpLineSink sink =
          new TcpLineSink("tcp6", "127.0.0.1:" + port, Duration.ofSeconds(10), t0)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.send("lost"))
            .hasRootCauseMessage("log server host '127.0.0.1' has no IPv6 address (net: tcp6)");
      }
    }
  }

  @Test
  void tlsSendsLinesToALogServerThatChecksTheClientCertificate(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create("log CA");
    Path ca = pki.writeCa(dir.resolve("ca.crt"));
    Clock now = Clock.systemUTC();
    TestPki.Issued server =
        pki.issue(
            dir,
            "logs",
            List.of("127.0.0.1"),
            Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)),
            TestPki.KeyFormat.PKCS8);
    TestPki.Issued client = pki.issue(dir, "zrepl-daemon");
    try (TlsListener logServer =
            TlsListener.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TlsFiles.load(ca, server.cert(), server.key(), now),
                List.of("zrepl-daemon"),
                Duration.ofSeconds(10));
        TcpLineSink sink =
            TcpLineSink.tls(
                "127.0.0.1:" + logServer.port(),
                TlsFiles.load(ca, client.cert(), client.key(), now),
                Duration.ofSeconds(10),
                now)) {
      sink.accept("over tls");
      sink.accept("and another");
      Listener.Accepted a = logServer.accept();
      assertThat(a.identity().name()).isEqualTo("zrepl-daemon");
      // close the connection, not the reader's stream: that closes without waiting for the peer
      try (org.zrepl.port.transport.Connection c = a.connection()) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(c.in(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("over tls");
        assertThat(in.readLine()).isEqualTo("and another");
      }
    }
  }
}
