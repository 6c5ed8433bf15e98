package org.zrepl.zfs;

import org.junit.jupiter.api.Nested;
import org.zrepl.port.zfs.ZfsCapabilities;

/** The contract suite against the fake, once per capability preset. */
class InMemoryZfsContractTest {

  @Nested
  class ZfsFuse extends ZfsContractTest {
    @Override
    protected ZfsFixture fixture() {
      return new InMemoryZfsFixture(ZfsCapabilities.zfsFuse());
    }
  }

  @Nested
  class OpenZfs21 extends ZfsContractTest {
    @Override
    protected ZfsFixture fixture() {
      return new InMemoryZfsFixture(ZfsCapabilities.openZfs21());
    }
  }

  @Nested
  class OpenZfs23 extends ZfsContractTest {
    @Override
    protected ZfsFixture fixture() {
      return new InMemoryZfsFixture(ZfsCapabilities.openZfs23());
    }
  }
}
