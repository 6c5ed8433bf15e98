package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigcheckTest {

  @TempDir Path dir;

  static final String VALID =
      """
      jobs:
      - name: snapjob
        type: snap
        filesystems: { "tank<": true }
        snapshotting:
          type: periodic
          prefix: zrepl_
          interval: 10m
        pruning:
          keep:
          - type: last_n
            count: 10
      """;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void validConfigIsSilentAndExitsZero() throws IOException {
    Path cfg = write("zrepl.yml", VALID);

    Cli r = Cli.run("configcheck", "--config", cfg.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void configOptionIsAcceptedBeforeTheSubcommand() throws IOException {
    Path cfg = write("zrepl.yml", VALID.replace("10m", "bogus"));

    Cli before = Cli.run("--config", cfg.toString(), "configcheck");
    Cli after = Cli.run("configcheck", "--config", cfg.toString());

    assertThat(before.code()).isEqualTo(1);
    assertThat(before.err()).contains("invalid 'interval'").isEqualTo(after.err());
  }

  @Test
  void invalidConfigReportsEveryProblemWithPositionAndCaret() throws IOException {
    Path cfg =
        write(
            "zrepl.yml",
            """
            jobs:
            - name: snapjob
              type: snap
              filesystems: { "tank<": true }
              snapshotting:
                type: periodic
                prefix: zrepl_
                interval: 10x
              pruning:
                keepp:
                - type: last_n
                  count: 10
            """);

    Cli r = Cli.run("configcheck", "--config", cfg.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(cfg + ":8:15: error: invalid 'interval': ")
        .doesNotContain("missing required key 'keep'")
        .contains(
            cfg
                + ":10:5: error: unknown key 'keepp' in pruning (did you mean 'keep'?)\n"
                + "    keepp:\n"
                + "    ^\n")
        .endsWith("2 errors\n");
  }

  @Test
  void missingConfigFileIsAnErrorNotAUsageError() {
    Cli r = Cli.run("configcheck", "--config", dir.resolve("nope.yml").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot read config file").contains("no such file");
  }

  @Test
  void defaultLocationsAreSearchedInOrder() throws IOException {
    Path first = dir.resolve("etc-zrepl.yml");
    Path second = write("usr-local.yml", "jobs: 3\n");

    Cli r = Cli.run(List.of(first, second), () -> null, "configcheck");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(second + ":1:7: error: 'jobs' must be a list");

    write("etc-zrepl.yml", VALID);
    assertThat(Cli.run(List.of(first, second), () -> null, "configcheck").code()).isZero();
  }

  @Test
  void noConfigAnywhereSaysWhereItLooked() {
    Path a = dir.resolve("a.yml");

    Cli r = Cli.run(List.of(a), () -> null, "configcheck");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("none given with --config and none at " + a);
  }

  @Test
  void unknownFormatIsAUsageError() throws IOException {
    Path cfg = write("zrepl.yml", VALID);

    Cli r = Cli.run("configcheck", "--config", cfg.toString(), "--format", "xml");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("expected pretty, yaml or json, got 'xml'");
  }

  @Test
  void formatsPrintTheParsedConfigWithDefaults() throws IOException {
    Path cfg = write("zrepl.yml", VALID);

    Cli yaml = Cli.run("configcheck", "--config", cfg.toString(), "--format", "yaml");
    Cli json = Cli.run("configcheck", "--config", cfg.toString(), "--format", "json");
    Cli pretty = Cli.run("configcheck", "--config", cfg.toString(), "--format", "pretty");

    assertThat(yaml.code()).isZero();
    assertThat(yaml.out())
        .contains("sockpath: /var/run/zrepl/control")
        .contains("timestamp_format: dense")
        .contains("interval: 10m");
    assertThat(json.out()).contains("\"sockdir\" : \"/var/run/zrepl/stdinserver\"");
    assertThat(pretty.out()).contains("Job.Snap").contains("interval: 10m");
  }

  @Test
  void unknownSubcommandAndMissingSubcommandAreUsageErrors() {
    assertThat(Cli.run("configchek").code()).isEqualTo(2);
    assertThat(Cli.run().code()).isEqualTo(2);
    assertThat(Cli.run("configcheck", "--bogus").code()).isEqualTo(2);
  }

  @Test
  void versionPrintsTheBuildVersion() {
    Cli r = Cli.run("version");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("client: zrepl-jvm 0.1.0-SNAPSHOT (java ");
    // no config, so no daemon to ask
    assertThat(r.out()).doesNotContain("daemon:");
  }

  @Test
  void versionShowClientAsksNobodyAndAnUnknownShowIsAUsageError() {
    Cli client = Cli.run("version", "--show", "client");
    Cli daemon = Cli.run("version", "--show", "daemon");
    Cli bad = Cli.run("version", "--show", "server");

    assertThat(client.code()).isZero();
    assertThat(client.out()).startsWith("client: zrepl-jvm ").doesNotContain("daemon");
    assertThat(daemon.code()).isEqualTo(1);
    assertThat(daemon.err()).startsWith("zrepl: error: no configuration file");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--show").contains("client, daemon");
  }
}
