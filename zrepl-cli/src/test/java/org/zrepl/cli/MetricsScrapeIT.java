package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zrepl.cli.DaemonProcessHarness.Result;
import org.zrepl.zfs.ZfsFusePoolFixture;

/**
 * The real daemon on zfs-fuse replicates once (a {@code local} job with snapshotting and pruning)
 * and a {@code pull} job pulls once from a {@code source} job of the same daemon over loopback tcp,
 * then its {@code /metrics} is scraped over HTTP: every metric the Grafana dashboard
 * (dist/grafana/zrepl.json) queries is in the scrape, and {@code promtool check metrics} accepts
 * it.
 */
class MetricsScrapeIT {

  @RegisterExtension static final ZfsFusePoolFixture POOL = new ZfsFusePoolFixture();

  static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * The lint findings promtool reports for names zrepl gave its metrics; we keep the names so that
   * zrepl's dashboards and alerts keep working (docs/metrics.md). Anything else fails the test.
   */
  static final Set<String> ZREPL_LINT =
      Set.of(
          "zrepl_zfs_list_unmatched_user_specified_dataset_count non-histogram and non-summary"
              + " metrics should not have \"_count\" suffix");

  private static final Pattern METRIC =
      Pattern.compile("\\b((?:zrepl|jvm|process)_[a-zA-Z0-9_]+)\\{");

  @Test
  void everyMetricTheDashboardQueriesIsScrapedAndPromtoolAcceptsTheScrape() throws Exception {
    Path dir =
        Files.createTempDirectory(
            "zrepl-metrics-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    int port;
    int rpcPort;
    try (java.net.ServerSocket sock = new java.net.ServerSocket(0);
        java.net.ServerSocket rpc = new java.net.ServerSocket(0)) {
      port = sock.getLocalPort();
      rpcPort = rpc.getLocalPort();
    }
    long n = System.nanoTime() % 100000;
    String src = POOL.pool() + "/msrc" + n;
    String dst = POOL.pool() + "/mdst" + n;
    zfs("create", src);
    zfs("create", src + "/a");
    zfs("create", src + "/b");
    String pulled = POOL.pool() + "/mpull" + n;
    zfs("create", pulled);
    Path config = dir.resolve("zrepl.yml");
    Files.writeString(config, config(dir, port, src, dst) + pullConfig(rpcPort, src, pulled));

    String scrape;
    try (DaemonProcessHarness d = DaemonProcessHarness.start(config)) {
      d.await(l -> l.contains("daemon starting"), WAIT, "daemon starting");
      awaitReplicated(config, src + "/a");
      Result wakeup = zrepl(config, "signal", "wakeup", "mirror");
      assertThat(wakeup.code()).as(wakeup.out()).isZero();
      awaitSnapshot(src + "/b"); // the source's round at start
      Result pull = zrepl(config, "signal", "wakeup", "puller");
      assertThat(pull.code()).as(pull.out()).isZero();
      awaitScrape(port, "zrepl_source_client_newest_snapshot_age_seconds{client=\"backups\"");
      // a client that connects and hangs up at once: the source's server counts that close
      new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), rpcPort).close();
      scrape = awaitScrape(port, "zrepl_rpc_connections_closed_total{");
    }

    List<String> queried = dashboardMetrics();
    assertThat(queried)
        .as("the dashboard's queries")
        .contains(
            "zrepl_start_time",
            "zrepl_daemon_log_entries",
            "zrepl_replication_filesystem_errors",
            "zrepl_replication_last_successful",
            "zrepl_replication_bytes_replicated",
            "zrepl_replication_newest_snapshot_age_seconds",
            "zrepl_zfscmd_runtime_bucket",
            "jvm_memory_used_bytes",
            "jvm_gc_collection_seconds_sum");
    List<String> missing = new ArrayList<>();
    for (String m : queried) {
      if (!exposed(scrape, m)) {
        missing.add(m);
      }
    }
    assertThat(missing).as("dashboard metrics absent from the scrape:\n%s", scrape).isEmpty();
    assertThat(scrape)
        .contains(
            "zrepl_replication_bytes_replicated{filesystem=\"" + src + "/a\",zrepl_job=\"mirror\"}")
        .contains("zrepl_zfs_snapshot_duration_count{filesystem=\"" + src + "/a\"}")
        .contains(
            "zrepl_zfscmd_runtime_count{jobid=\"mirror\",zfsbinary=\"zfs\",zfsverb=\"snapshot\"}")
        .contains("zrepl_control_request_begin{endpoint=\"/signal\"}")
        .contains("zrepl_replication_state_time_count{state=\"done\",zrepl_job=\"mirror\"}")
        .contains(
            "zrepl_source_client_newest_snapshot_age_seconds{client=\"backups\",filesystem=\""
                + src
                + "/b\",zrepl_job=\"laptop\"}")
        .containsPattern(
            "zrepl_rpc_connections_closed_total\\{reason=\"[a-z_]+\",side=\"server\"} 1\\.0");
    assertThat(
            sample(
                scrape, "zrepl_zfs_list_unmatched_user_specified_dataset_count{jobid=\"mirror\"}"))
        .as("the mapping rule naming %s/nosuch counted on every listing", src)
        .isGreaterThanOrEqualTo(2);

    Path promtool = Promtool.require();
    Path file = dir.resolve("scrape.txt");
    Files.writeString(file, scrape);
    Result check =
        DaemonProcessHarness.run(
            List.of(
                "sh", "-c", "\"$0\" check metrics < \"$1\"", promtool.toString(), file.toString()));
    List<String> findings =
        check.out().lines().filter(l -> !l.isBlank()).filter(l -> !ZREPL_LINT.contains(l)).toList();
    assertThat(findings)
        .as("promtool check metrics (exit %d):\n%s", check.code(), check.out())
        .isEmpty();
    assertThat(check.code())
        .as("promtool: 0, or 3 for lint findings only (1 would be a parse error)")
        .isIn(0, 3);
  }

  /** The value of the series {@code series} (name and labels as the scrape writes them). */
  static double sample(String scrape, String series) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample of " + series + " in:\n" + scrape));
  }

  /** Whether the scrape has a sample of series {@code name}. */
  static boolean exposed(String scrape, String name) {
    return scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
  }

  /**
   * The metric names in the dashboard's PromQL expressions (each is written with a selector, {@code
   * name{job=~"$prom_job_name"...}}, which tells it from a label name such as {@code zrepl_job}).
   */
  static List<String> dashboardMetrics() throws Exception {
    JsonNode dash =
        new ObjectMapper().readTree(Promtool.repo().resolve("dist/grafana/zrepl.json").toFile());
    Set<String> names = new TreeSet<>();
    dash.findValues("expr")
        .forEach(
            e -> {
              assertThat(
                      e.asText()
                          .replace("zrepl_job", "")
                          .replaceAll("\\b(?:zrepl|jvm|process)_[a-zA-Z0-9_]+\\{", ""))
                  .as("every metric in a query has a selector: %s", e.asText())
                  .doesNotContainPattern("\\b(zrepl|jvm|process)_");
              Matcher m = METRIC.matcher(e.asText());
              while (m.find()) {
                names.add(m.group(1));
              }
            });
    return List.copyOf(names);
  }

  private static String config(Path dir, int port, String src, String dst) {
    return "global:\n"
        + "  logging:\n"
        + "    - type: stdout\n"
        + "      level: info\n"
        + "      format: human\n"
        + "  control:\n"
        + "    sockpath: "
        + dir.resolve("run").resolve("control")
        + "\n"
        + "  monitoring:\n"
        + "    - type: prometheus\n"
        + "      listen: '127.0.0.1:"
        + port
        + "'\n"
        + "jobs:\n"
        + "  - name: mirror\n"
        + "    type: local\n"
        + "    mapping:\n"
        + "      '"
        + src
        + "/a': '"
        + dst
        + "/a'\n"
        // names a dataset that does not exist: zrepl_zfs_list_unmatched_... counts it
        + "      '"
        + src
        + "/nosuch': '!'\n"
        + "    recv: {placeholder: {encryption: inherit}}\n"
        + "    snapshotting:\n"
        + "      type: periodic\n"
        + "      prefix: zrepl_\n"
        + "      interval: 24h\n"
        + "    pruning:\n"
        + "      keep_sender:\n"
        + "        - type: last_n\n"
        + "          count: 5\n"
        + "      keep_receiver:\n"
        + "        - type: last_n\n"
        + "          count: 5\n";
  }

  /** A source job serving {@code src/b} over tcp, and a pull job pulling it into {@code root}. */
  private static String pullConfig(int port, String src, String root) {
    return """
          - name: laptop
            type: source
            serve: { type: tcp, listen: "127.0.0.1:PORT", clients: { "127.0.0.1": "backups" } }
            filesystems: { "SRC/b": true }
            snapshotting: { type: periodic, prefix: zrepl_, interval: 24h }
            pruning:
              keep:
                - { type: last_n, count: 5 }
          - name: puller
            type: pull
            connect: { type: tcp, address: "127.0.0.1:PORT" }
            root_fs: ROOT
            recv: { placeholder: { encryption: inherit } }
            interval: manual
            pruning:
              keep_sender:
                - { type: regex, regex: ".*" }
              keep_receiver:
                - { type: last_n, count: 5 }
        """
        .replace("PORT", Integer.toString(port))
        .replace("SRC", src)
        .replace("ROOT", root);
  }

  /** Polls until {@code fs} has a snapshot. */
  private static void awaitSnapshot(String fs) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Result r =
          DaemonProcessHarness.run(
              List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", fs));
      if (r.code() == 0 && !r.out().isBlank()) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(fs + " has no snapshot after " + WAIT);
  }

  /** Scrapes until the scrape contains {@code text} (the daemon works on its own threads). */
  private static String awaitScrape(int port, String text) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = scrape(port);
      if (last.contains(text)) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("no " + text + " in the scrape after " + WAIT + ":\n" + last);
  }

  /** Polls {@code zrepl status} until {@code fs} shows a replicated snapshot. */
  private static void awaitReplicated(Path config, String fs) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Result r = zrepl(config, "status", "--mode", "raw");
      last = r.out();
      if (r.code() == 0) {
        JsonNode job = new ObjectMapper().createObjectNode();
        for (JsonNode j : new ObjectMapper().readTree(r.out()).path("jobs")) {
          if (j.path("name").asText().equals("mirror")) {
            job = j;
          }
        }
        for (JsonNode d : job.path("datasets")) {
          if (d.path("filesystem").asText().equals(fs)
              && !d.path("newestReplicatedAt").asText().isEmpty()
              && job.path("state").asText().equals("idle")) {
            return;
          }
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError(fs + " never replicated; last status: " + last);
  }

  private static Result zrepl(Path config, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--config", config.toString()));
    return DaemonProcessHarness.zrepl(argv.toArray(String[]::new));
  }

  private static void zfs(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    Result r = DaemonProcessHarness.run(argv);
    assertThat(r.code()).as("%s: %s", argv, r.out()).isZero();
  }

  private static String scrape(int port) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
