package dev.fetchq.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.testsupport.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;

/** What operators and client developers rely on: probes, metrics and the API description. */
class OperationsIntegrationTests extends ApiIntegrationTest {

  /** What dashboards and alerts query (Prometheus names). */
  private static final List<String> CATALOGUE =
      List.of(
          "fetchq_jobs_submitted_total",
          "fetchq_jobs_finished_total",
          "fetchq_jobs_end_to_end_seconds_bucket",
          "fetchq_jobs_end_to_end_seconds_count",
          "fetchq_jobs_end_to_end_seconds_sum",
          "fetchq_outbox_publish_failures_total",
          "fetchq_outbox_backlog",
          "fetchq_jobs_state",
          "fetchq_jobs_replayed_total",
          "fetchq_deadletters_removed_total",
          "fetchq_api_auth_refused_total",
          "http_server_requests_seconds_bucket",
          "http_server_requests_seconds_count");

  private static final String UUID_PATTERN =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalManagementPort int managementPort;

  @Test
  void probesAnswerOnTheManagementPort() throws Exception {
    assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(management("/actuator/info").statusCode()).isEqualTo(200);
  }

  @Test
  void actuatorIsNotExposedOnThePublicPort() {
    assertThat(mvc.get().uri("/actuator/health")).hasStatus(HttpStatus.NOT_FOUND);
  }

  @Test
  void everyMetricOfTheCatalogueIsExportedWithTheCommonTags() throws Exception {
    submit("https://example.org/metrics.bin");

    PrometheusText scrape = PrometheusText.parse(management("/actuator/prometheus").body());

    for (String name : CATALOGUE) {
      assertThat(scrape.named(name))
          .as(name)
          .isNotEmpty()
          .allSatisfy(
              s ->
                  assertThat(s.labels())
                      .containsEntry("application", "fetchq-api")
                      .containsEntry("instance_id", INSTANCE_ID));
    }
    assertThat(scrape.named("fetchq_jobs_submitted_total").getFirst().value()).isPositive();
    assertThat(scrape.named("fetchq_jobs_finished_total"))
        .extracting(s -> s.labels().get("outcome"))
        .containsExactlyInAnyOrder("succeeded", "dead", "cancelled");
    assertThat(scrape.named("fetchq_jobs_end_to_end_seconds_count"))
        .extracting(s -> s.labels().get("outcome"))
        .containsExactlyInAnyOrder("succeeded", "dead", "cancelled");
    assertThat(scrape.named("fetchq_jobs_state"))
        .extracting(s -> s.labels().get("status"))
        .containsExactlyInAnyOrder("QUEUED", "RUNNING", "RETRY_SCHEDULED");
    assertThat(scrape.named("fetchq_deadletters_removed_total"))
        .extracting(s -> s.labels().get("action"))
        .contains("replayed", "discarded", "stale");
    assertThat(scrape.named("fetchq_api_auth_refused_total"))
        .extracting(s -> s.labels().get("reason"))
        .containsExactlyInAnyOrder("missing", "invalid", "forbidden");
    assertThat(scrape.named("http_server_requests_seconds_bucket", "uri", "/jobs"))
        .extracting(s -> s.labels().get("le"))
        .contains("0.1", "1.0", "+Inf");
  }

  @Test
  void noSeriesIsLabelledWithAJobIdOrAUrl() throws Exception {
    UUID id = submit("https://example.org/labels.bin");
    assertThat(mvc.get().uri("/jobs/{id}", id)).hasStatus(HttpStatus.OK);

    PrometheusText scrape = PrometheusText.parse(management("/actuator/prometheus").body());

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
  void theOpenApiDescriptionListsTheJobAndAdminEndpoints() {
    assertThat(mvc.get().uri("/v3/api-docs"))
        .hasStatus(HttpStatus.OK)
        .bodyText()
        .contains("\"/jobs\"", "\"/jobs/{id}\"", "\"/jobs/{id}/content\"")
        .contains("\"/jobs/{id}/cancel\"", "\"/dead-letters\"", "\"/dead-letters/replay\"")
        .contains("\"/dead-letters/{id}\"", "\"/admin/api-keys\"", "\"/admin/api-keys/{name}\"")
        .contains("\"apiKey\"", "\"apiKeyHeader\"", "\"Idempotency-Key\"")
        .doesNotContain("\"caller\"");
    assertThat(mvc.get().uri("/swagger-ui/index.html")).hasStatus(HttpStatus.OK);
  }

  private HttpResponse<String> management(String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
