package org.zrepl.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

  @Test
  void zreplStyleAddresses() {
    assertThat(MetricsServer.parse(":9811").getPort()).isEqualTo(9811);
    assertThat(MetricsServer.parse(":9811").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(MetricsServer.parse("127.0.0.1:9091").getHostString()).isEqualTo("127.0.0.1");
    assertThat(MetricsServer.parse("[::1]:9091").getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void badAddressesNameTheValue() {
    assertThatThrownBy(() -> MetricsServer.parse("9811"))
        .hasMessage("listen address must be host:port or :port, got '9811'");
    assertThatThrownBy(() -> MetricsServer.parse(":http"))
        .hasMessage("listen port must be a number, got ':http'");
    assertThatThrownBy(() -> MetricsServer.parse(":70000"))
        .hasMessage("listen port must be 0..65535, got 70000");
  }
}
