package org.zrepl.transport.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import org.junit.jupiter.api.Test;

class SyslogSinkTest {

  @Test
  void datagramCarriesPriorityAndTag() {
    SyslogSink s = new SyslogSink(SyslogSink.facility("local0"), "zrepl", new File("/nonexistent"));
    assertThat(s.datagram(4, "[snapjob][snapshot]: x"))
        .isEqualTo("<132>zrepl: [snapjob][snapshot]: x");
    assertThat(SyslogSink.facility("daemon")).isEqualTo(3);
  }

  @Test
  void unknownFacility() {
    assertThatThrownBy(() -> SyslogSink.facility("local9"))
        .hasMessageStartingWith("unknown syslog facility 'local9', expected one of [kern,");
  }

  @Test
  void aMissingSyslogLosesTheLineQuietly() {
    new SyslogSink(3, "zrepl", new File("/nonexistent/log")).send(3, "lost");
  }
}
