package org.zrepl.transport.stdinserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.port.transport.ClientIdentity;
import org.zrepl.port.transport.Listener;

/**
 * The listener against clients that do not hand over properly: no descriptors, silence, a second
 * daemon on the same sockets. Each is dropped while honest clients are still served.
 */
class StdinserverListenerIT {
  @TempDir Path tmp;
  private Path sockdir;
  private StdinserverListener listener;

  @BeforeEach
  void bind() throws IOException {
    sockdir = tmp.resolve("sock");
    Files.createDirectory(
        sockdir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    listener =
        StdinserverListener.bind(
            sockdir,
            List.of(new ClientIdentity("alice"), new ClientIdentity("bob")),
            Duration.ofMillis(300));
  }

  @AfterEach
  void close() {
    listener.close();
  }

  private UnixSocketChannel dial(String identity) throws IOException {
    UnixSocketChannel c =
        UnixSocketChannel.open(new UnixSocketAddress(sockdir.resolve(identity).toFile()));
    // A listener that never closes us fails the test instead of hanging it.
    c.setOption(jnr.unixsocket.UnixSocketOptions.SO_RCVTIMEO, 10_000);
    return c;
  }

  /**
   * Blocks until the listener closes {@code c}: end of input, or a reset when it closed with our
   * bytes unread. Fails if it writes (a verdict) instead.
   */
  private static void assertClosedByListener(UnixSocketChannel c) {
    int n;
    try {
      n = c.read(ByteBuffer.allocate(16));
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("reset");
      return;
    }
    assertThat(n).isEqualTo(-1);
  }

  /** Hands over one end of a fresh socket pair as both descriptors; the listener's Accepted. */
  private Listener.Accepted handOver(String identity) throws Exception {
    UnixSocketChannel[] pair = UnixSocketChannel.pair();
    try (UnixSocketChannel c = dial(identity)) {
      Fds.send(c.getFD(), pair[1].getFD(), pair[1].getFD());
      Listener.Accepted a =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return listener.accept();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      // The descriptors are the daemon's now: bytes written to our end come out of its input.
      pair[0].write(ByteBuffer.wrap(new byte[] {42}));
      assertThat(a.connection().in().read()).isEqualTo(42);
      a.connection().close();
      return a;
    } finally {
      pair[0].close();
      pair[1].close();
    }
  }

  @Test
  void theIdentityIsTheSocketsName() throws Exception {
    assertThat(handOver("bob").identity()).isEqualTo(new ClientIdentity("bob"));
    assertThat(handOver("alice").identity()).isEqualTo(new ClientIdentity("alice"));
    assertThat(listener.describe()).contains(sockdir.toString()).contains("alice").contains("bob");
  }

  @Test
  void aMessageWithoutDescriptorsIsRefusedAndOthersAreStillServed() throws Exception {
    try (UnixSocketChannel c = dial("alice")) {
      c.write(ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      assertClosedByListener(c);
    }
    assertThat(handOver("alice").identity().name()).isEqualTo("alice");
  }

  @Test
  void aSilentClientIsDroppedAfterTheHandOverTimeout() throws Exception {
    try (UnixSocketChannel c = dial("bob")) {
      assertClosedByListener(c);
    }
    assertThat(handOver("bob").identity().name()).isEqualTo("bob");
  }

  @Test
  void aSecondListenerOnTheSameSocketsIsRefused() {
    assertThatThrownBy(
            () -> StdinserverListener.bind(sockdir, List.of(new ClientIdentity("alice"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("another daemon is listening on stdinserver socket")
        .hasMessageContaining(sockdir.resolve("alice").toString());
  }

  @Test
  void aStaleSocketIsReplacedAndClosingRemovesTheSockets() throws Exception {
    listener.close();
    Files.createFile(sockdir.resolve("carol"));
    listener = StdinserverListener.bind(sockdir, List.of(new ClientIdentity("carol")));
    assertThat(handOver("carol").identity().name()).isEqualTo("carol");
    listener.close();
    assertThat(sockdir.resolve("carol")).doesNotExist();
    assertThatThrownBy(() -> listener.accept())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is closed");
  }
}
