package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zrepl.transport.tls.TestPki;

/**
 * {@code configcheck} reads the TLS files the daemon would ({@code --skip-cert-check} skips the
 * jobs' ones, as zrepl) and {@code --what} chooses what {@code --format} prints.
 */
class ConfigcheckTlsTest {

  @TempDir Path dir;
  Path ca;
  TestPki.Issued client;
  TestPki.Issued server;
  int configs;

  @BeforeEach
  void pki() {
    TestPki pki = TestPki.create("configcheck test CA");
    ca = pki.writeCa(dir.resolve("ca.crt"));
    client = pki.issue(dir, "client");
    server = pki.issue(dir, "server");
  }

  private Path config(String cert, String key, String serveKey, String logCa) throws IOException {
    Path p = dir.resolve("zrepl-" + ++configs + ".yml");
    Files.writeString(
        p,
        """
        global:
          logging:
          - type: tcp
            level: info
            format: json
            address: "logs.example:514"
            tls: { ca: "%s", cert: "%s", key: "%s" }
        jobs:
        - name: push
          type: push
          connect:
            type: tls
            address: "backup.example:8888"
            ca: "%s"
            cert: "%s"
            key: "%s"
            server_cn: server
          filesystems: { "tank<": true }
          snapshotting: { type: manual }
          pruning: { keep_sender: [], keep_receiver: [] }
        - name: sink
          type: sink
          root_fs: backup
          serve:
            type: tls
            listen: ":8888"
            ca: "%s"
            cert: "%s"
            key: "%s"
            client_cns: [client]
        """
            .formatted(
                logCa, client.cert(), client.key(), ca, cert, key, ca, server.cert(), serveKey));
    return p;
  }

  private Path valid() throws IOException {
    return config(
        client.cert().toString(), client.key().toString(), server.key().toString(), ca.toString());
  }

  @Test
  void readableMatchingFilesPass() throws IOException {
    Cli r = Cli.run("configcheck", "--config", valid().toString());

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void aMissingCertIsAnErrorAtItsKeyNamingTheFile() throws IOException {
    Path missing = dir.resolve("gone.crt");
    Path cfg =
        config(missing.toString(), client.key().toString(), server.key().toString(), ca.toString());

    Cli r = Cli.run("configcheck", "--config", cfg.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(cfg + ":15:11: error: cert file " + missing + ": no such file")
        .contains("1 error");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsAnErrorAtTheServeKey() throws IOException {
    Path cfg =
        config(
            client.cert().toString(),
            client.key().toString(),
            client.key().toString(),
            ca.toString());

    Cli r = Cli.run("configcheck", "--config", cfg.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).containsPattern(cfg + ":29:10: error: key file " + client.key());
  }

  @Test
  void skipCertCheckSkipsTheJobsFilesOnly() throws IOException {
    Path missing = dir.resolve("gone.crt");
    Path jobsBroken =
        config(missing.toString(), client.key().toString(), server.key().toString(), ca.toString());
    Path loggingBroken =
        config(
            client.cert().toString(),
            client.key().toString(),
            server.key().toString(),
            missing.toString());

    Cli jobs = Cli.run("configcheck", "--skip-cert-check", "--config", jobsBroken.toString());
    assertThat(jobs.err()).isEmpty();
    assertThat(jobs.code()).isZero();

    Cli logging = Cli.run("configcheck", "--skip-cert-check", "--config", loggingBroken.toString());
    assertThat(logging.code()).isEqualTo(1);
    assertThat(logging.err()).contains(":7:16:").contains("ca file " + missing + ": no such file");
  }

  @Test
  void whatChoosesThePartThatFormatPrints() throws IOException {
    String cfg = valid().toString();

    Cli jobs = Cli.run("configcheck", "--config", cfg, "--format", "yaml", "--what", "jobs");
    Cli logging = Cli.run("configcheck", "--config", cfg, "--format", "json", "--what", "logging");
    Cli all = Cli.run("configcheck", "--config", cfg, "--format", "yaml");
    Cli config = Cli.run("configcheck", "--config", cfg, "--format", "yaml", "--what", "config");
    Cli prettyJobs =
        Cli.run("configcheck", "--config", cfg, "--format", "pretty", "--what", "jobs");

    assertThat(jobs.code()).isZero();
    assertThat(jobs.out()).startsWith("- name: push\n").contains("- name: sink\n");
    assertThat(jobs.out()).doesNotContain("global").doesNotContain("logs.example");
    assertThat(logging.code()).isZero();
    assertThat(logging.out()).startsWith("[").contains("logs.example:514");
    assertThat(logging.out()).doesNotContain("backup.example");
    assertThat(all.out()).startsWith("global:").contains("jobs:").isEqualTo(config.out());
    assertThat(prettyJobs.out()).contains("push").doesNotContain("logs.example");
  }

  @Test
  void anUnknownWhatIsAUsageError() throws IOException {
    Cli r = Cli.run("configcheck", "--config", valid().toString(), "--what", "everything");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--what").contains("all, config, jobs, logging");
  }
}
