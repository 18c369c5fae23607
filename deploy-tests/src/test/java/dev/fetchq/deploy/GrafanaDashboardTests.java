package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboards Grafana provisions from observability/grafana/dashboards, linted offline ({@link
 * DashboardLint}). ObservabilitySystemIT runs their queries against a real Prometheus.
 */
class GrafanaDashboardTests {

  /**
   * Public dashboards fetchq ships, made provisionable by observability/grafana/import-dashboard.py
   * (file name → where the published JSON comes from).
   */
  static final Map<String, String> PUBLIC_DASHBOARDS =
      Map.of(
          "rabbitmq-overview.json",
          "https://github.com/rabbitmq/rabbitmq-server/blob/main/deps/rabbitmq_prometheus/docker/"
              + "grafana/dashboards/RabbitMQ-Overview.json (Grafana.com dashboard 10991)",
          "jvm-micrometer.json",
          "https://grafana.com/grafana/dashboards/4701 (JVM (Micrometer);"
              + " download: https://grafana.com/api/dashboards/4701/revisions/latest/download)");

  static Stream<Path> dashboards() {
    return Dashboards.files().stream();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyDashboardProvisionsFromItsFileAsIs(Path file) {
    var problems = DashboardLint.problems(Dashboards.read(file), Dashboards.datasourceUids());
    assertThat(problems).as(Repository.relative(file)).isEmpty();
  }

  @Test
  void uidsAndTitlesAreUniqueAndFileNamesCanNameAConfigMap() {
    var uids = new HashSet<String>();
    var titles = new HashSet<String>();
    for (var file : Dashboards.files()) {
      var dashboard = Dashboards.read(file);
      assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in " + file).isTrue();
      assertThat(titles.add(dashboard.path("title").asText())).as("unique title " + file).isTrue();
      // Kubernetes ships each as ConfigMap fetchq-dashboard-<file name>.
      assertThat(file.getFileName().toString()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.json");
    }
  }

  @Test
  void thePublicRabbitmqAndJvmDashboardsAreProvisioned() {
    var present = new HashSet<String>();
    Dashboards.files().forEach(f -> present.add(f.getFileName().toString()));
    var missing = new ArrayList<String>();
    PUBLIC_DASHBOARDS.forEach(
        (name, source) -> {
          if (!present.contains(name)) {
            var uid = name.replace(".json", "");
            missing.add(
                name
                    + " — fetch "
                    + source
                    + ", then: observability/grafana/import-dashboard.py <downloaded.json> --uid "
                    + uid
                    + " > "
                    + Dashboards.DIRECTORY
                    + "/"
                    + name);
          }
        });
    assertThat(missing)
        .as(
            "public dashboards to import (then regenerate the Kubernetes copies:"
                + " ./mvnw -pl deploy-tests test -Dfetchq.regenerate=true)")
        .isEmpty();
  }

  @Test
  void theFetchqDashboardCoversJobsQueuesWorkersLatencyAndTheApi() {
    var dashboard =
        Dashboards.read(Repository.path(Dashboards.DIRECTORY + "/fetchq-overview.json"));
    var titles = new ArrayList<String>();
    Dashboards.panels(dashboard).forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles)
        .contains(
            "Jobs submitted and finished",
            "Worker deliveries by outcome",
            "Success ratio",
            "Retries by reason",
            "Dead-letter depth",
            "Dead-letter inflow by reason",
            "Queue depth: ready and unacknowledged",
            "Consumers per queue",
            "Workers up and consumers",
            "Jobs in flight",
            "In flight per worker",
            "Download duration",
            "Time to first byte",
            "End-to-end latency",
            "Bytes downloaded per second",
            "Backlog drain time",
            "POST /jobs by status",
            "POST /jobs error ratio");
    // The vhost is a variable whose "All" matches every vhost, so any installation (and the system
    // test's random vhost) shows its queues.
    var variables = new ArrayList<JsonNode>();
    dashboard.path("templating").path("list").forEach(variables::add);
    var vhost =
        variables.stream()
            .filter(v -> v.path("name").asText().equals("vhost"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no vhost variable"));
    assertThat(vhost.path("includeAll").asBoolean()).isTrue();
    assertThat(vhost.path("allValue").asText()).isEqualTo(".*");
    for (var panel : Dashboards.panels(dashboard)) {
      for (var target : panel.path("targets")) {
        var expr = target.path("expr").asText();
        if (expr.contains("rabbitmq_detailed_")) {
          assertThat(expr).as(panel.path("title").asText()).contains("vhost=~\"$vhost\"");
        }
      }
    }
  }

  @Test
  void noQueryOrRuleNamesAVhost() {
    var exact = Pattern.compile("vhost\\s*=\\s*\"");
    var sources = new ArrayList<String>();
    Dashboards.files().forEach(f -> sources.add(Repository.read(f)));
    PrometheusConfigTests.ruleFiles().forEach(f -> sources.add(Repository.read(f)));
    assertThat(sources).noneMatch(text -> exact.matcher(text).find());
  }
}
