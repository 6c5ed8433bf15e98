package org.zrepl.zfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PipedReceiveTest {

  @Test
  void receivedBytesReadsZfsFuseAndOpenZfsSummaries() {
    assertThat(
            PipedReceive.receivedBytes(
                """
                receiving full stream of p/a@2 into p/b@2
                received 50.1MB stream in 1 seconds (50.1MB/sec)
                """))
        .hasValue(Math.round(50.1 * 1024 * 1024));
    assertThat(PipedReceive.receivedBytes("received 1.50G stream in 3 seconds (512M/sec)\n"))
        .hasValue(Math.round(1.5 * 1024 * 1024 * 1024));
    assertThat(PipedReceive.receivedBytes("received 312B stream in 1 seconds (312B/sec)\n"))
        .hasValue(312);
    assertThat(PipedReceive.receivedBytes("received 312 stream in 1 seconds (312/sec)\n"))
        .hasValue(312);
  }

  @Test
  void receivedBytesAddsEveryStreamOfAPackage() {
    assertThat(
            PipedReceive.receivedBytes(
                """
                received 10.0K stream in 1 seconds (10.0K/sec)
                received 2.00M stream in 1 seconds (2.00M/sec)
                """))
        .hasValue(10 * 1024 + 2 * 1024 * 1024);
  }

  @Test
  void receivedBytesIsEmptyWithoutASummary() {
    assertThat(PipedReceive.receivedBytes("")).isEqualTo(OptionalLong.empty());
    assertThat(PipedReceive.receivedBytes("receiving full stream of p/a@2 into p/b@2\n")).isEmpty();
  }

  @Test
  void brokenPipeIsSigpipeOrZfsFusesWarning() {
    assertThat(PipedReceive.brokenPipe(141, "")).isTrue();
    assertThat(PipedReceive.brokenPipe(1, "warning: cannot send 'p/a@2': Broken pipe\n")).isTrue();
    assertThat(PipedReceive.brokenPipe(1, "could not send p/a@x: does not exist\n")).isFalse();
  }

  @Test
  void theReceiveRunsVerbose() {
    assertThat(PipedReceive.verbose(List.of("zfs", "recv", "-u", "-s", "p/b")))
        .containsExactly("zfs", "recv", "-v", "-u", "-s", "p/b");
  }
}
