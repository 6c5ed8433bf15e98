package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code serve.limits}: defaults, every key on every serve type, located refusals, rendering. */
class ServeLimitsConfigTest {

  private static final String SINK =
      """
      jobs:
      - name: sink
        type: sink
        root_fs: backups
        serve:
          %s
      """;

  private static Serve serve(String body) {
    LoadResult r = ConfigLoader.parse("zrepl.yml", SINK.formatted(body), Path.of("."));
    assertThat(r).as(r.toString()).isInstanceOf(LoadResult.Valid.class);
    return ((Job.Sink) ((LoadResult.Valid) r).config().jobs().get(0)).serve();
  }

  @Test
  void withoutLimitsTheDefaultsApply() {
    assertThat(serve("{ type: stdinserver, client_identities: [a] }").limits())
        .isEqualTo(ServeLimits.DEFAULTS);
  }

  @Test
  void everyKeyIsReadOnEveryServeType() {
    String limits =
        "limits: { max_connections: 8, max_connections_per_client: 2, first_request_timeout: 3s,"
            + " header_timeout: 4s, idle_timeout: 90s, write_timeout: 1h30m }";
    ServeLimits expected =
        new ServeLimits(
            8,
            2,
            Duration.ofSeconds(3),
            Duration.ofSeconds(4),
            Duration.ofSeconds(90),
            Duration.ofMinutes(90));
    for (String type :
        new String[] {
          "{ type: tcp, listen: ':8888', clients: { '10.0.0.1': a }, LIMITS }",
          "{ type: tls, listen: ':8888', ca: c, cert: c, key: k, client_cns: [a], LIMITS }",
          "{ type: stdinserver, client_identities: [a], LIMITS }",
          "{ type: local, listener_name: l, LIMITS }"
        }) {
      Serve s = serve(type.replace("LIMITS", limits));
      assertThat(s.limits()).as(type).isEqualTo(expected);
    }
  }

  @Test
  void perClientFollowsALowerTotalWhenNotGiven() {
    Serve s =
        serve("{ type: stdinserver, client_identities: [a], limits: { max_connections: 4 } }");
    assertThat(s.limits().maxConnections()).isEqualTo(4);
    assertThat(s.limits().maxPerClient()).isEqualTo(4);
    assertThat(s.limits().idleTimeout()).isEqualTo(ServeLimits.DEFAULTS.idleTimeout());
  }

  @Test
  void valuesTheServerCannotHonourAreRefusedTogetherAtTheirPositions() {
    String yaml =
        """
        jobs:
        - name: sink
          type: sink
          root_fs: backups
          serve:
            type: tcp
            listen: ':8888'
            clients: { '10.0.0.1': a }
            limits:
              max_connections: 8
              max_connections_per_client: 9
              first_request_timeout: 0s
              idle_timeout: -1s
              write_timeout: 10
              max_conections: 3
        """;
    assertThat(ConfigLoaderTest.errors(yaml))
        .containsExactly(
            "11:35: 'max_connections_per_client' (9) must not exceed 'max_connections' (8): one"
                + " client could never use them; lower it or raise 'max_connections'",
            "12:30: 'first_request_timeout' must be a positive duration, got '0s': the server"
                + " always bounds this wait (the default is 10s)",
            "13:21: 'idle_timeout' must be a positive duration, got '-1s': the server always"
                + " bounds this wait (the default is 2m)",
            ConfigLoaderTest.errors(yaml).get(3),
            ConfigLoaderTest.errors(yaml).get(4));
    assertThat(ConfigLoaderTest.errors(yaml).get(3))
        .startsWith("14:22: ")
        .contains("write_timeout");
    assertThat(ConfigLoaderTest.errors(yaml).get(4))
        .startsWith("15:7: ")
        .contains("max_conections")
        .contains("did you mean 'max_connections'");
    assertThat(
            ConfigLoaderTest.errors(
                SINK.formatted(
                    "{ type: local, listener_name: l, limits: { max_connections: 5000 } }")))
        .singleElement()
        .asString()
        .contains("'max_connections' must be in 1..4096, got 5000");
  }

  @Test
  void changedLimitsAreRenderedAndDefaultsAreNot() {
    Serve s = serve("{ type: local, listener_name: l, limits: { max_connections_per_client: 2 } }");
    assertThat(TransportRenderer.serve(s).get("limits"))
        .isEqualTo(
            ConfigRenderer.map(
                "max_connections", 64,
                "max_connections_per_client", 2,
                "first_request_timeout", "10s",
                "header_timeout", "10s",
                "idle_timeout", "2m",
                "write_timeout", "10m"));
    assertThat(TransportRenderer.serve(serve("{ type: local, listener_name: l }")))
        .doesNotContainKey("limits");
  }
}
