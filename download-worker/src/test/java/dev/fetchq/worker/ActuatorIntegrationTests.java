package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.PrometheusText;
import dev.fetchq.testsupport.Routes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class ActuatorIntegrationTests extends WorkerIntegrationTestSupport {

  /** What dashboards and alerts query (Prometheus names). */
  private static final List<String> CATALOGUE =
      List.of(
          "fetchq_worker_jobs_total",
          "fetchq_worker_retries_total",
          "fetchq_worker_dead_letters_total",
          "fetchq_worker_failures_total",
          "fetchq_worker_download_duration_seconds_bucket",
          "fetchq_worker_download_duration_seconds_count",
          "fetchq_worker_download_duration_seconds_sum",
          "fetchq_worker_time_to_first_byte_seconds_bucket",
          "fetchq_worker_time_to_first_byte_seconds_count",
          "fetchq_worker_job_bytes_bucket",
          "fetchq_worker_job_bytes_count",
          "fetchq_worker_job_bytes_sum",
          "fetchq_worker_bytes_total",
          "fetchq_worker_partial_files_total",
          "fetchq_worker_inflight");

  private static final String UUID_PATTERN =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

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
  void everyMetricOfTheCatalogueIsExportedWithTheCommonTags() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    PrometheusText scrape = PrometheusText.parse(response.body());
    for (String name : CATALOGUE) {
      assertThat(scrape.named(name))
          .as(name)
          .isNotEmpty()
          .allSatisfy(
              s ->
                  assertThat(s.labels())
                      .containsEntry("application", "download-worker")
                      .containsEntry("instance_id", "test-worker"));
    }
    assertThat(scrape.named("fetchq_worker_jobs_total"))
        .extracting(s -> s.labels().get("outcome"))
        .containsExactlyInAnyOrder(
            "succeeded", "dead_lettered", "retried", "cancelled", "requeued", "poison", "rejected");
    assertThat(scrape.named("fetchq_worker_dead_letters_total"))
        .extracting(s -> s.labels().get("reason"))
        .contains("HTTP_CLIENT_ERROR", "CHECKSUM_MISMATCH", "POISON", "UNKNOWN");
  }

  @Test
  void noSeriesIsLabelledWithAJobIdOrAUrl() throws Exception {
    // After at least one job went through, so that per-job values had a chance to leak.
    origin.route("/labels.txt", Routes.content(Content.random(10, 1)));
    eventsUntilFinished(submit("/labels.txt", null));

    PrometheusText scrape = PrometheusText.parse(get("/actuator/prometheus").body());

    assertThat(scrape.series())
        .allSatisfy(
            s ->
                assertThat(s.labels())
                    .as(s.name())
                    .doesNotContainKeys("url", "job_id", "jobId", "messaging_message_id")
                    .allSatisfy(
                        (label, value) ->
                            assertThat(value)
                                .as("%s{%s}", s.name(), label)
                                .doesNotContainPattern(UUID_PATTERN)
                                .doesNotContain("://")));
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
