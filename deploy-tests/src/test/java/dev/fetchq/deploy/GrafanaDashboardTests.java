package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  /**
   * RabbitMQ-Overview and JVM (Micrometer) are third-party files: they are downloaded and made
   * provisionable where fetchq is deployed (compose: the one-shot grafana-dashboards; Kubernetes:
   * by hand, as the READMEs show), never committed. Neither they nor a dashboard taking their uid
   * may appear among the repository's dashboards or their Kubernetes copies.
   */
  @Test
  void thePublicDashboardsAreFetchedWhereFetchqRunsAndNeverCommitted() throws IOException {
    var files = new ArrayList<>(Dashboards.files());
    try (var copies = Files.list(Repository.path(ObservabilityCopiesTests.DASHBOARD_COPIES))) {
      copies.filter(f -> f.toString().endsWith(".json")).forEach(files::add);
    }
    for (var file : files) {
      var dashboard = Dashboards.read(file);
      var where = Repository.relative(file);
      assertThat(Dashboards.PUBLIC.values())
          .as("%s: a public dashboard's uid or file name", where)
          .doesNotContain(
              dashboard.path("uid").asText(), file.getFileName().toString().replace(".json", ""));
      // grafana.com sets gnetId on what it serves.
      assertThat(dashboard.path("gnetId").isValueNode() && !dashboard.path("gnetId").isNull())
          .as("%s: downloaded from grafana.com (gnetId %s)", where, dashboard.path("gnetId"))
          .isFalse();
    }
    // Kubernetes has no fetching service: both READMEs show how to make the ConfigMaps.
    for (var readme :
        List.of("observability/README.md", ObservabilityCopiesTests.COMPONENT + "/README.md")) {
      var text = Repository.read(readme);
      Dashboards.PUBLIC.forEach(
          (id, uid) ->
              assertThat(text)
                  .as("%s shows how to fetch %s", readme, uid)
                  .contains("--grafana-com-id " + id + " --uid " + uid)
                  .contains("fetchq-dashboard-" + uid));
      assertThat(text).as(readme).contains("grafana_dashboard=1");
    }
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
