package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.config.ConfigLoaderTest.errors;
import static org.zrepl.app.config.ConfigLoaderTest.valid;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tcp logging outlet's {@code net}: the six values zrepl dials, nothing else. */
class LoggingConfigTest {

  private static String tcpOutlet(String net, String extra) {
    return """
        global:
          logging:
            - type: tcp
              level: info
              format: json
              address: "logs.example:5140"
              net: %s
        %s"""
        .formatted(net, extra);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"})
  void theNetworksZreplDialsAreAccepted(String net) {
    Config c = valid(tcpOutlet(net, ""));
    assertThat(c.global().logging())
        .singleElement()
        .isInstanceOfSatisfying(LoggingOutlet.Tcp.class, t -> assertThat(t.net()).isEqualTo(net));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unix", "UDP", "sctp", "ip4", "\"tcp4 \""})
  void otherNetworksAreRefusedAtTheirLocation(String net) {
    assertThat(errors(tcpOutlet(net, "")))
        .singleElement()
        .asString()
        .startsWith("7:12: net must be one of tcp, tcp4, tcp6, udp, udp4, udp6");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "udp4", "udp6"})
  void tlsOverUdpIsRefused(String net) {
    assertThat(
            errors(
                tcpOutlet(
                    net,
                    "      tls: { ca: /etc/zrepl/ca.crt, cert: /etc/zrepl/me.crt,"
                        + " key: /etc/zrepl/me.key }\n")))
        .singleElement()
        .asString()
        .startsWith("8:12: tls cannot be used with net '" + net + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udb"})
  void aTypoGetsASuggestion(String net) {
    assertThat(errors(tcpOutlet(net, ""))).singleElement().asString().contains("did you mean");
  }
}
