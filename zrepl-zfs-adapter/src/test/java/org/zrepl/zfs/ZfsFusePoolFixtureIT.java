package org.zrepl.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.domain.dataset.DatasetPath;

/** The real-pool fixture itself: its pool exists, roots are fresh, files round-trip. */
class ZfsFusePoolFixtureIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  @Test
  void createsItsOwnPoolWithFreshRoots() {
    assertThat(POOL.pool()).matches("zt[0-9a-f]{8}");
    assertThat(ZfsFusePoolFixture.run("zpool", "list", "-H", "-o", "name").lines())
        .contains(POOL.pool());
    ZfsFixture fx = POOL.fixture(null);

    DatasetPath a = fx.newRoot();
    DatasetPath b = fx.newReceiveRoot();

    assertThat(a).isNotEqualTo(b);
    assertThat(a.pool()).isEqualTo(POOL.pool());
    assertThat(ZfsFusePoolFixture.run("zfs", "list", "-H", "-o", "name", "-r", POOL.pool()).lines())
        .contains(a.toString(), b.toString());
  }

  @Test
  void writtenFilesCanBeReadBack() {
    ZfsFixture fx = POOL.fixture(null);
    DatasetPath a = fx.newRoot();
    byte[] data = "hello zfs".getBytes(StandardCharsets.UTF_8);

    fx.write(a, "f", data);

    assertThat(fx.read(a, "f")).isEqualTo(data);
    assertThatThrownBy(() -> fx.read(a, "missing")).isInstanceOf(AssertionError.class);
  }
}
