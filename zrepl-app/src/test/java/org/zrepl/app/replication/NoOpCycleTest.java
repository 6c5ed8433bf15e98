package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.ZfsCapabilities;

/** A run with nothing to do costs a constant number of zfs processes, however many datasets. */
class NoOpCycleTest {

  private static Map<String, Integer> noOpProcesses(int datasets) {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    for (int i = 0; i < datasets; i++) {
      DatasetPath fs = w.fs("src/t/d" + i);
      w.snapshot("s1", fs);
    }
    DatasetFilter filter = DatasetFilter.of(Map.of("src/t<", "ok", "src/t", "!"));
    assertThat(w.run(filter).isSuccess()).isTrue();
    Map<String, Integer> before = w.zfs.processesStarted();

    ReplicationReport report = w.run(filter);

    assertThat(report.isSuccess()).isTrue();
    assertThat(report.results())
        .hasSize(datasets)
        .allMatch(r -> r.describe().contains("up to date"));
    Map<String, Integer> delta = new HashMap<>();
    w.zfs
        .processesStarted()
        .forEach(
            (op, n) -> {
              int d = n - before.getOrDefault(op, 0);
              if (d != 0) {
                delta.put(op, d);
              }
            });
    return delta;
  }

  @Test
  void listingCountDoesNotGrowWithTheNumberOfDatasets() {
    Map<String, Integer> five = noOpProcesses(5);
    Map<String, Integer> twentyFive = noOpProcesses(25);

    assertThat(twentyFive).isEqualTo(five);
    assertThat(five).isEqualTo(Map.of("list", 4));
  }
}
