package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.cli.DaemonProcessHarness.Result;

/**
 * The alert rules in dist/prometheus load and behave as their unit tests say ({@code promtool test
 * rules}): replication failing, no successful replication for three intervals, lag per filesystem,
 * daemon down.
 */
class PrometheusRulesTest {

  @Test
  void alertRulesPassTheirPromtoolUnitTests() throws Exception {
    Path promtool = Promtool.require();
    Path dir = Promtool.repo().resolve("dist/prometheus");

    Result check =
        DaemonProcessHarness.run(
            List.of(
                promtool.toString(), "check", "rules", dir.resolve("zrepl-alerts.yml").toString()));
    Result test =
        DaemonProcessHarness.run(
            List.of(
                promtool.toString(),
                "test",
                "rules",
                dir.resolve("zrepl-alerts.test.yml").toString()));

    assertThat(check.code()).as(check.out()).isZero();
    assertThat(check.out()).contains("SUCCESS: 6 rules found");
    assertThat(test.code()).as(test.out()).isZero();
    assertThat(test.out()).contains("SUCCESS");
  }
}
