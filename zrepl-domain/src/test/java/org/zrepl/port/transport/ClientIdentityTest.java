package org.zrepl.port.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientIdentityTest {

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a/b", "../etc", "a@b", "a#b", "", " lead", "trail ", "a\nb"})
  void hostileIdentitiesAreRejected(String name) {
    assertThatThrownBy(() -> new ClientIdentity(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client identity '" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"laptop", "host-1.example.com", "lan-192.168.0.7", "fd00::1"})
  void harmlessIdentitiesAreAccepted(String name) {
    assertThat(new ClientIdentity(name).name()).isEqualTo(name);
  }
}
