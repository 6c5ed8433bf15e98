package org.zrepl.transport.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.zrepl.port.metrics.MetricsRegistry;

class PrometheusMetricsRegistryTest {

  @Test
  void countersWithoutTotalKeepZreplsNameAndAreUntypedOursEndInTotal() {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry(false);
    MetricsRegistry.Counter zrepls =
        r.counter("zrepl_control_request_begin", "requests", "endpoint");
    MetricsRegistry.Counter ours = r.counter("zrepl_things_total", "things", "kind");

    zrepls.inc("/signal");
    zrepls.inc(2, "/signal");
    ours.inc("a");

    assertThat(r.scrape())
        .contains("# TYPE zrepl_control_request_begin untyped\n")
        .contains("zrepl_control_request_begin{endpoint=\"/signal\"} 3.0\n")
        .contains("# TYPE zrepl_things_total counter\n")
        .contains("zrepl_things_total{kind=\"a\"} 1.0\n");
    assertThatThrownBy(() -> zrepls.inc(-1, "/signal"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("can only go up");
  }

  @Test
  void histogramCallbackWritesCumulativeBucketsCountAndSum() {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry(false);
    r.histogramCallback(
        "zrepl_x_seconds",
        "x",
        List.of(1.0, 5.0),
        List.of("zrepl_job"),
        out -> out.sample(List.of(2L, 3L), 4, 12.5, "j"));

    assertThat(r.scrape())
        .contains("# TYPE zrepl_x_seconds histogram\n")
        .contains("zrepl_x_seconds_bucket{zrepl_job=\"j\",le=\"1.0\"} 2\n")
        .contains("zrepl_x_seconds_bucket{zrepl_job=\"j\",le=\"5.0\"} 3\n")
        .contains("zrepl_x_seconds_bucket{zrepl_job=\"j\",le=\"+Inf\"} 4\n")
        .contains("zrepl_x_seconds_count{zrepl_job=\"j\"} 4\n")
        .contains("zrepl_x_seconds_sum{zrepl_job=\"j\"} 12.5\n");
  }

  @Test
  void labelValuesAreEscapedAndGaugesAndCallbacksWork() {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry(false);
    r.gauge("zrepl_g", "g", "filesystem").set(7, "a\"b\\c\nd");
    r.gaugeCallback("zrepl_cb", "cb", List.of("k"), out -> out.sample(1.5, "v"));
    r.counterCallback("zrepl_cc", "cc", List.of("k"), out -> out.sample(9, "v"));

    assertThat(r.scrape())
        .contains("zrepl_g{filesystem=\"a\\\"b\\\\c\\nd\"} 7.0\n")
        .contains("zrepl_cb{k=\"v\"} 1.5\n")
        .contains("# TYPE zrepl_cc untyped\n")
        .contains("zrepl_cc{k=\"v\"} 9.0\n");
  }

  @Test
  void aNameRegisteredTwiceIsRefusedNamingIt() {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry(false);
    r.counter("zrepl_dup", "d");
    assertThatThrownBy(() -> r.gauge("zrepl_dup", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'zrepl_dup' is registered twice");
  }

  @Test
  void jvmAndProcessMetricsAreOn() {
    String text = new PrometheusMetricsRegistry().scrape();
    assertThat(text)
        .contains("jvm_memory_used_bytes{area=\"heap\"}")
        .contains("# TYPE jvm_gc_collection_seconds summary")
        .contains("jvm_threads_current ")
        .contains("process_cpu_seconds_total ")
        .contains("process_resident_memory_bytes ");
  }

  @Test
  void jvmMetricsComeWithEveryScrapeOnceAndBesideThePortsMetrics() {
    PrometheusMetricsRegistry r = new PrometheusMetricsRegistry();
    r.gauge("zrepl_before", "registered before the first scrape").set(1);
    String first = r.scrape();
    r.gauge("zrepl_after", "registered after it").set(2);
    String second = r.scrape();
    assertThat(first).contains("zrepl_before 1.0").contains("jvm_threads_current ");
    assertThat(second)
        .contains("zrepl_before 1.0")
        .contains("zrepl_after 2.0")
        .containsOnlyOnce("# TYPE jvm_threads_current gauge");
  }
}
