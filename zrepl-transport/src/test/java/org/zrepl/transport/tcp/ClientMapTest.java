package org.zrepl.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zrepl.port.transport.ClientIdentity;

class ClientMapTest {
  private static final ClientMap MAP;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("192.168.0.0/16", "lan-*");
    m.put("192.168.1.10", "backup");
    m.put("10.0.0.0/8", "office");
    m.put("fd00::/8", "v6-*");
    m.put("127.0.0.1", "self");
    MAP = ClientMap.of(m);
  }

  @ParameterizedTest
  @CsvSource({
    "192.168.1.10, backup",
    "192.168.7.3, lan-192.168.7.3",
    "10.200.1.1, office",
    "127.0.0.1, self",
    "fd00::1, v6-fd00:0:0:0:0:0:0:1",
  })
  void theMostSpecificEntryWins(String ip, String identity) throws Exception {
    assertThat(MAP.identify(InetAddress.getByName(ip))).contains(new ClientIdentity(identity));
  }

  @Test
  void unknownAddressesHaveNoIdentity() throws Exception {
    assertThat(MAP.identify(InetAddress.getByName("172.16.0.1"))).isEmpty();
    assertThat(
            MAP.identify(
                InetAddress.getByAddress(
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "backup.example.com | x | clients: 'backup.example.com' is not an IP address or CIDR"
            + " (host names are not allowed)",
        "10.0.0.0/33 | x | clients: prefix of '10.0.0.0/33' must be 0..32, got 33",
        "10.0.0.0/x | x | clients: bad CIDR prefix in '10.0.0.0/x'",
        "10.0.0.1 | a-* | clients: '*' in identity 'a-*' is only allowed for networks, not for"
            + " 10.0.0.1",
        "10.0.0.1 | ../etc | client identity '../etc' is not a valid dataset name component",
      })
  void badEntriesAreNamed(String key, String identity, String message) {
    assertThatThrownBy(() -> ClientMap.of(Map.of(key, identity)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
