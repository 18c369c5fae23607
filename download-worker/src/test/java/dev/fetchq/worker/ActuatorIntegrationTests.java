package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class ActuatorIntegrationTests extends WorkerIntegrationTestSupport {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Test
  void healthLivenessAndReadinessAreUp() throws Exception {
    for (String path : new String[] {"health", "health/liveness", "health/readiness"}) {
      HttpResponse<String> response = get("/actuator/" + path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void theWorkersMetricsAreExportedFromTheStart() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "fetchq_worker_jobs_total{application=\"download-worker\",outcome=\"succeeded\"}",
            "outcome=\"dead_lettered\"",
            "outcome=\"retried\"",
            "outcome=\"cancelled\"",
            "outcome=\"requeued\"",
            "outcome=\"poison\"",
            "fetchq_worker_failures_total{application=\"download-worker\",reason=\"TOO_LARGE\"}",
            "fetchq_worker_retries_total{application=\"download-worker\",reason=\"HTTP_TRANSIENT\"}",
            "fetchq_worker_download_duration_seconds_bucket{application=\"download-worker\","
                + "outcome=\"succeeded\",le=\"30.0\"}",
            "fetchq_worker_bytes_total",
            "fetchq_worker_inflight");
  }

  @Test
  void nothingButTheActuatorIsServed() throws Exception {
    assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
