package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code recv.properties.override.mountpoint} may only mount nothing. */
class RecvMountpointConfigTest {

  private static String sink(String override) {
    return """
        jobs:
        - name: s
          type: sink
          root_fs: pool/sink
          serve: { type: local, listener_name: x }
          recv:
            properties:
              override: { mountpoint: %s }
        """
        .formatted(override);
  }

  @Test
  void aPathIsRefusedWhereItIsWritten() {
    assertThat(ConfigLoaderTest.errors(sink("/srv/backups")))
        .containsExactly(
            "8:31: recv.properties.override mountpoint '/srv/backups' would mount every received"
                + " filesystem at that one path, outside the receiver's tree; use 'none' or"
                + " 'legacy', or leave it out: replicas inherit their mountpoint from the receiving"
                + " root and never take the sender's");
  }

  @Test
  void noneAndLegacyAreAccepted() {
    for (String v : new String[] {"none", "legacy"}) {
      Job.Sink s = (Job.Sink) ConfigLoaderTest.valid(sink(v)).job("s").orElseThrow();
      assertThat(s.recv().overrideProperties()).containsEntry("mountpoint", v);
    }
  }
}
