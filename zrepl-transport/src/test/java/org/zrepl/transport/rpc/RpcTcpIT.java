package org.zrepl.transport.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.zrepl.transport.rpc.TestEndpoints.A;
import static org.zrepl.transport.rpc.TestEndpoints.STEP;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.transport.TransportException;
import org.zrepl.transport.frame.Frame;
import org.zrepl.transport.frame.FrameReader;
import org.zrepl.transport.frame.FrameType;
import org.zrepl.transport.tcp.ClientMap;
import org.zrepl.transport.tcp.TcpConnector;
import org.zrepl.transport.tcp.TcpListener;

/** The RPC on real loopback sockets: streams both ways, unknown clients, hostile bytes. */
class RpcTcpIT {
  private static final byte[] HELLO =
      ByteBuffer.allocate(12).put("ZREPLJVM".getBytes(StandardCharsets.US_ASCII)).putInt(1).array();

  private final TestEndpoints endpoints = new TestEndpoints();
  private final TcpListener listener;
  private final RpcServer server;
  private final RpcClient client;

  RpcTcpIT() throws IOException {
    listener =
        TcpListener.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            ClientMap.of(Map.of("127.0.0.0/8", "local-*")));
    server = new RpcServer(listener, endpoints).start();
    client = new RpcClient(connector(listener.port()));
  }

  private static TcpConnector connector(int port) {
    return TcpConnector.of("127.0.0.1:" + port, Duration.ofSeconds(5));
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void pushAndPullOverTcp() throws IOException {
    long size = 20_000_017;
    new RemoteReceiver(client).receive(ReceiveStepRequest.of(A, STEP), new PatternStream(size));
    assertThat(endpoints.received).isEqualTo(size);
    assertThat(endpoints.receivedCrc).isEqualTo(PatternStream.crcOf(size));
    endpoints.sendStream = r -> new PatternStream(size);
    SendStepResponse resp = new RemoteSender(client).send(SendStepRequest.of(A, STEP));
    assertThat(RpcLocalTest.crc(resp.stream())).isEqualTo(PatternStream.crcOf(size));
    resp.stream().close();
    assertThat(endpoints.clients).allMatch(c -> c.name().equals("local-127.0.0.1"));
  }

  @Test
  void aClientOutsideTheMappingIsRefused() throws IOException {
    try (TcpListener strict =
            TcpListener.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ClientMap.of(Map.of("10.0.0.0/8", "office")));
        RpcServer s = new RpcServer(strict, endpoints).start();
        RpcClient c = new RpcClient(connector(strict.port()))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("tcp 127.0.0.1:" + strict.port())
          .hasMessageContaining("the server does not accept this client, or is at its connection");
      // closed before the handshake, as a server at its limit may do: tried a few times, quickly
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
          .isLessThan(java.time.Duration.ofSeconds(15));
    }
    assertThat(endpoints.calls).isEmpty();
  }

  @Test
  void dialingNothingFailsAsATemporaryConnectError() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (RpcClient c = new RpcClient(connector(port))) {
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith("cannot connect to tcp 127.0.0.1:" + port)
          .satisfies(e -> assertThat(((TransportException) e).isTemporary()).isTrue());
    }
  }

  @Test
  void aServerOfAnotherVersionIsNamedOnTheClientSide() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient c = new RpcClient(connector(other.getLocalPort()))) {
      Thread peer =
          new Thread(
              () -> {
                try (Socket s = other.accept()) {
                  s.getOutputStream()
                      .write(ByteBuffer.allocate(12).put(HELLO, 0, 8).putInt(2).array());
                  s.getInputStream().readNBytes(12);
                } catch (IOException ignored) {
                  // the test's assertion is on the client side
                }
              });
      peer.start();
      assertThatThrownBy(() -> new RemoteSender(c).listFilesystems())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining(
              "protocol version mismatch: this side speaks version 1, the peer speaks version 2")
          .satisfies(
              e ->
                  assertThat(((TransportException) e).kind())
                      .isEqualTo(TransportException.Kind.PROTOCOL));
      peer.join();
    }
  }

  static Stream<Arguments> hostileInput() {
    return Stream.of(
        Arguments.of("short header", "01 01 00", "short frame header: got 3 of 8 bytes"),
        Arguments.of(
            "oversized length",
            "02 00 00 00 01 00 00 01",
            "data frame of 16777217 bytes exceeds limit 8388608"),
        Arguments.of("unknown type", "09 01 00 00 00 00 00 00", "unknown frame type 0x09"),
        Arguments.of(
            "EOF mid-payload",
            "01 01 00 00 00 00 00 10 7b 22",
            "header frame truncated: got 2 of 16 payload bytes"),
        Arguments.of(
            "bad JSON",
            "01 01 00 00 00 00 00 05 7b 63 61 6c 6c",
            "request header frame is not valid JSON: Unexpected character ('c' (code 99)):"
                + " was expecting double-quote to start field name"),
        Arguments.of(
            "data where a request belongs",
            "02 00 00 00 00 00 00 01 00",
            "expected a header, trailer or reset frame, got data frame of 1 bytes"),
        Arguments.of(
            "a stream on a call without one",
            "01 00 00 00 00 00 00 1c 7b 22 63 61 6c 6c 22 3a 22 73 65 6e 64 65 72 2e 67 75 61 72"
                + " 61 6e 74 65 65 73 22 7d",
            "call sender.guarantees must not carry a stream"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInput")
  void hostileBytesGetAClearErrorAndAClosedConnectionWhileOthersAreServed(
      String what, String hex, String message) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      OutputStream out = s.getOutputStream();
      out.write(HELLO);
      out.write(HexFormat.ofDelimiter(" ").parseHex(hex));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      assertThat(in.readNBytes(12)).isEqualTo(HELLO);
      FrameReader r = new FrameReader(in);
      Frame f = r.nextControl();
      assertThat(f.type()).isEqualTo(FrameType.HEADER);
      assertThat(new String(f.payload(), StandardCharsets.UTF_8))
          .startsWith("{\"error\":{\"type\":")
          .contains("\"message\":\"" + message.replace("\"", "\\\"") + "\"");
      assertThat(r.nextControl()).as("connection closed after the error").isNull();
    }
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
  }

  @Test
  void closingTheServerClosesTheConnectionsItServes() throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      s.getOutputStream().write(HELLO);
      InputStream in = s.getInputStream();
      assertThat(in.readNBytes(12)).isEqualTo(HELLO);
      server.close();
      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    }
  }

  @Test
  void aClientOfAnotherVersionIsDisconnectedWhileOthersAreServed() throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
      s.getOutputStream().write(ByteBuffer.allocate(12).put(HELLO, 0, 8).putInt(7).array());
      InputStream in = s.getInputStream();
      assertThat(in.readNBytes(12)).isEqualTo(HELLO);
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(new RemoteSender(client).listFilesystems()).hasSize(2);
  }
}
