package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.config.ConfigLoaderTest.valid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * The configurations of {@code docs/operator-guide.md}, "A backup host for a fleet", read from the
 * guide itself: the backup host's three sinks side by side and one client's push job in each of its
 * three transports (the two commented {@code connect} alternatives put in place).
 */
class FleetGuideConfigsTest {
  private static final Path GUIDE = Path.of("..", "docs", "operator-guide.md");
  private static final String SECTION = "## A backup host for a fleet";

  private static List<String> yamlBlocks() throws IOException {
    String guide = Files.readString(GUIDE);
    int start = guide.indexOf(SECTION);
    assertThat(start).as("section '%s' in %s", SECTION, GUIDE).isNotNegative();
    int end = guide.indexOf("\n## ", start + SECTION.length());
    String section = guide.substring(start, end < 0 ? guide.length() : end);
    List<String> blocks = new ArrayList<>();
    for (int i = section.indexOf("```yaml\n"); i >= 0; i = section.indexOf("```yaml\n", i)) {
      int close = section.indexOf("```", i + 8);
      blocks.add(section.substring(i + 8, close));
      i = close + 3;
    }
    return blocks;
  }

  @Test
  void theBackupHostServesThreeTransportsSideBySide() throws IOException {
    List<String> blocks = yamlBlocks();
    assertThat(blocks).hasSize(2);
    Config c = valid(blocks.get(0));

    Job.Sink tls = (Job.Sink) c.job("fleet_tls").orElseThrow();
    assertThat(((Serve.Tls) tls.serve()).clientCns())
        .containsExactly("laptop1", "laptop2", "build01");
    assertThat(tls.target()).isEqualTo(new Target.RootFs(DatasetPath.of("backup/fleet")));

    Job.Sink lan = (Job.Sink) c.job("fleet_lan").orElseThrow();
    assertThat(((Serve.Tcp) lan.serve()).clients())
        .containsEntry("10.0.0.5", "db01")
        .containsEntry("10.0.1.0/24", "lan-*");

    Job.Sink ssh = (Job.Sink) c.job("fleet_ssh").orElseThrow();
    assertThat(((Serve.Stdinserver) ssh.serve()).clientIdentities())
        .containsExactly("web01", "web02");
  }

  @Test
  void eachClientPushesOverItsTransport() throws IOException {
    String client = yamlBlocks().get(1);

    Job.Push laptop = (Job.Push) valid(client).job("backup").orElseThrow();
    assertThat(laptop.connect()).isInstanceOf(Connect.Tls.class);
    assertThat(((Connect.Tls) laptop.connect()).serverCn()).isEqualTo("backup.example");

    Job.Push db = (Job.Push) valid(withConnectOf(client, "db01")).job("backup").orElseThrow();
    assertThat(db.connect())
        .isEqualTo(new Connect.Tcp("backup.example:8889", Duration.ofSeconds(10)));

    Job.Push web = (Job.Push) valid(withConnectOf(client, "web01")).job("backup").orElseThrow();
    assertThat(web.connect()).isInstanceOf(Connect.SshStdinserver.class);
  }

  /** The block with its {@code connect} replaced by the one commented for {@code host}. */
  private static String withConnectOf(String block, String host) {
    List<String> lines = block.lines().toList();
    StringBuilder alternative = new StringBuilder();
    boolean inside = false;
    for (String l : lines) {
      String t = l.strip();
      if (t.startsWith("# " + host + ":")) {
        inside = true;
        alternative.append(t.substring(host.length() + 3).strip());
      } else if (inside && t.startsWith("#") && !t.matches("#\\s*\\w+:\\s+connect:.*")) {
        alternative.append(' ').append(t.substring(1).strip());
      } else {
        inside = false;
      }
    }
    assertThat(alternative).as("a commented connect for %s", host).startsWith("connect: {");
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    for (String l : lines) {
      if (l.startsWith("  connect:")) {
        out.append("  ").append(alternative).append('\n');
        skipping = !l.strip().endsWith("}");
      } else if (skipping) {
        skipping = !l.strip().endsWith("}");
      } else if (!l.strip().startsWith("#")) {
        out.append(l).append('\n');
      }
    }
    return out.toString();
  }
}
