package org.zrepl.transport.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.transport.control.ControlException;
import org.zrepl.port.transport.control.ControlHandler;
import org.zrepl.port.transport.control.ControlRequest;
import org.zrepl.port.transport.control.ControlResponse;

/** The control socket over a real unix-domain socket in a temporary directory. */
class ControlSocketIT {

  @TempDir Path tmp;

  private static final ControlHandler ECHO =
      r ->
          r.command().equals("fail")
              ? ControlResponse.error("refused: " + r.args())
              : ControlResponse.ok(
                  JsonNodeFactory.instance
                      .objectNode()
                      .put("command", r.command())
                      .put("args", String.join(",", r.args()))
                      .toString());

  private Path socket() {
    return tmp.resolve("run").resolve("control");
  }

  @Test
  void roundTripAndErrorResponse() {
    try (ControlServer s = ControlServer.start(socket(), ECHO)) {
      ControlClient c = new ControlClient(socket());
      ControlResponse ok = c.call(ControlRequest.of("signal", "wakeup", "prod"));
      assertThat(ok.ok()).isTrue();
      assertThat(body(ok).path("command").asText()).isEqualTo("signal");
      assertThat(body(ok).path("args").asText()).isEqualTo("wakeup,prod");
      ControlResponse err = c.call(ControlRequest.of("fail", "x"));
      assertThat(err.ok()).isFalse();
      assertThat(err.error()).isEqualTo("refused: [x]");
    }
  }

  @Test
  void createsAPrivateDirectoryAndRemovesTheSocketOnClose() throws IOException {
    ControlServer s = ControlServer.start(socket(), ECHO);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())))
        .isEqualTo("rwx------");
    assertThat(socket()).exists();
    s.close();
    assertThat(socket()).doesNotExist();
    assertThatThrownBy(() -> new ControlClient(socket()).call(ControlRequest.of("status")))
        .isInstanceOf(ControlException.class)
        .hasMessageContaining("cannot talk to the daemon at control socket " + socket());
  }

  @Test
  void refusesADirectoryOthersCanEnter() throws IOException {
    Files.createDirectories(socket().getParent());
    Files.setPosixFilePermissions(
        socket().getParent(), PosixFilePermissions.fromString("rwxr-x---"));
    assertThatThrownBy(() -> ControlServer.start(socket(), ECHO))
        .isInstanceOf(ControlException.class)
        .hasMessage(
            "socket directory "
                + socket().getParent()
                + " must be accessible by its owner only, has permissions rwxr-x--- (chmod 0700 it)");
  }

  @Test
  void refusesASecondDaemonAndReplacesAStaleSocket() throws IOException {
    try (ControlServer first = ControlServer.start(socket(), ECHO)) {
      assertThatThrownBy(() -> ControlServer.start(socket(), ECHO))
          .isInstanceOf(ControlException.class)
          .hasMessageContaining("another daemon is listening on control socket");
    }
    // a socket file left behind by a killed daemon
    Files.createFile(socket());
    try (ControlServer again = ControlServer.start(socket(), ECHO)) {
      assertThat(new ControlClient(socket()).call(ControlRequest.of("status")).ok()).isTrue();
    }
  }

  @Test
  void malformedRequestsAreAnsweredWithAnErrorAndTheServerKeepsServing() throws IOException {
    try (ControlServer s = ControlServer.start(socket(), ECHO)) {
      assertThat(rawExchange("not json\n"))
          .contains("\"ok\":false")
          .contains("bad control request");
      assertThat(rawExchange("{\"command\":\"\"}\n"))
          .contains("bad control request")
          .contains("command must not be blank");
      assertThat(rawExchange("x".repeat(ControlServer.MAX_LINE + 1) + "\n"))
          .contains("request longer than the limit of 65536 bytes");
      assertThat(rawExchange("{\"command\":\"status\""))
          .contains("connection closed in the middle of the request");
      assertThat(new ControlClient(socket()).call(ControlRequest.of("status")).ok()).isTrue();
    }
  }

  /** Sends raw bytes (then half-closes) and returns the raw response line. */
  private String rawExchange(String request) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket()));
        InputStream in = Channels.newInputStream(c)) {
      OutputStream out = Channels.newOutputStream(c);
      try {
        out.write(request.getBytes(StandardCharsets.UTF_8));
      } catch (IOException serverClosedEarly) {
        // the server may answer and close before reading an oversized request to its end
      }
      c.shutdownOutput();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode body(ControlResponse r) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
