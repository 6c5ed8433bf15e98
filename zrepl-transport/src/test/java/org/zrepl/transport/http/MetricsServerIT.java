package org.zrepl.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsAndNothingElse() throws Exception {
    try (MetricsServer s = MetricsServer.start("127.0.0.1:0", () -> "zrepl_x 1\n")) {
      HttpResponse<String> r = get(s.port(), "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("zrepl_x 1\n");
      assertThat(r.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
      assertThat(get(s.port(), "/other").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aFailingRendererIsA500() throws Exception {
    try (MetricsServer s =
        MetricsServer.start(
            "127.0.0.1:0",
            () -> {
              throw new IllegalStateException("boom");
            })) {
      assertThat(get(s.port(), "/metrics").statusCode()).isEqualTo(500);
    }
  }

  @Test
  void aPortInUseIsReported() {
    try (MetricsServer s = MetricsServer.start("127.0.0.1:0", () -> "")) {
      assertThatThrownBy(() -> MetricsServer.start("127.0.0.1:" + s.port(), () -> ""))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot listen for Prometheus on '127.0.0.1:" + s.port() + "'");
    }
  }
}
