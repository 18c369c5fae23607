package dev.fetchq.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;

/** What operators and client developers rely on: probes, metrics and the API description. */
class OperationsIntegrationTests extends ApiIntegrationTest {

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
  void prometheusShowsTheJobAndOutboxMetrics() throws Exception {
    submit("https://example.org/metrics.bin");

    String metrics = management("/actuator/prometheus").body();

    assertThat(metrics)
        .containsPattern("fetchq_jobs_submitted_total\\{[^}]*} [1-9]")
        .containsPattern("fetchq_jobs_finished_total\\{[^}]*outcome=\"cancelled\"[^}]*} \\d")
        .contains("fetchq_jobs_finished_total{", "outcome=\"succeeded\"", "outcome=\"dead\"")
        .contains("fetchq_outbox_backlog{")
        .contains("fetchq_jobs_replayed_total{")
        .containsPattern("fetchq_deadletters_removed_total\\{[^}]*action=\"discarded\"")
        .containsPattern("fetchq_deadletters_removed_total\\{[^}]*action=\"replayed\"")
        .containsPattern("fetchq_deadletters_removed_total\\{[^}]*action=\"stale\"");
  }

  @Test
  void theOpenApiDescriptionListsTheJobAndAdminEndpoints() {
    assertThat(mvc.get().uri("/v3/api-docs"))
        .hasStatus(HttpStatus.OK)
        .bodyText()
        .contains("\"/jobs\"", "\"/jobs/{id}\"", "\"/jobs/{id}/content\"")
        .contains("\"/jobs/{id}/cancel\"", "\"/dead-letters\"", "\"/dead-letters/replay\"")
        .contains("\"/dead-letters/{id}\"", "\"adminToken\"");
    assertThat(mvc.get().uri("/swagger-ui/index.html")).hasStatus(HttpStatus.OK);
  }

  private HttpResponse<String> management(String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
