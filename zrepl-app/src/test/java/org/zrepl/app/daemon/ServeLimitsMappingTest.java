package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.zrepl.app.config.ServeLimits;
import org.zrepl.port.transport.ServerLimits;

class ServeLimitsMappingTest {

  @Test
  void theConfiguredDefaultsAreTheTransportsDefaults() {
    assertThat(ServingJobRuntime.limits(ServeLimits.DEFAULTS)).isEqualTo(ServerLimits.DEFAULTS);
  }

  @Test
  void everyConfiguredValueReachesTheTransport() {
    ServeLimits c =
        new ServeLimits(
            7,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(4));
    assertThat(ServingJobRuntime.limits(c))
        .isEqualTo(
            new ServerLimits(
                7,
                3,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                Duration.ofSeconds(4)));
  }
}
