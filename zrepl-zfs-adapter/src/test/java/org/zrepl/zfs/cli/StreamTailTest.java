package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamTailTest {

  @Test
  void keepsEverythingBelowTheLimit() throws InterruptedException {
    StreamTail t =
        StreamTail.start(stream("cannot open 'p/a': dataset does not exist\n"), 100, "t");
    assertThat(t.await()).isEqualTo("cannot open 'p/a': dataset does not exist\n");
  }

  @Test
  void keepsOnlyTheLastBytesOfALongStream() throws InterruptedException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append("line ").append(i).append('\n');
    }
    StreamTail t = StreamTail.start(stream(sb.toString()), 32, "t");

    String tail = t.await();
    assertThat(tail).startsWith("[...]").endsWith("line 9999\n");
    assertThat(tail.length()).isEqualTo("[...]".length() + 32);
    assertThat(sb.toString()).endsWith(tail.substring(5));
  }

  @Test
  @SuppressWarnings("InputStreamSlowMultibyteRead") // three bytes, then a failure
  void keepsWhatArrivedBeforeAReadError() throws InterruptedException {
    InputStream failing =
        new InputStream() {
          private int n;

          @Override
          public int read() throws IOException {
            if (n < 3) {
              return "abc".charAt(n++);
            }
            throw new IOException("stream closed");
          }
        };
    assertThat(StreamTail.start(failing, 10, "t").await()).isEqualTo("abc");
  }

  @Test
  void rejectsNonPositiveLimits() {
    assertThatThrownBy(() -> StreamTail.start(stream(""), 0, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be positive, got 0");
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
