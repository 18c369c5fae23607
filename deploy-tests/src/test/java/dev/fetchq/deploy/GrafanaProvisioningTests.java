package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grafana's provisioning files and dashboards, against the compose stack that mounts them. */
class GrafanaProvisioningTests {

  private static final String PROVISIONING = "observability/grafana/provisioning";
  private static final String DASHBOARDS = "observability/grafana/dashboards";

  @Test
  void thePrometheusDatasourceHasAFixedUidAndPointsAtComposePrometheus() {
    var datasources = Yaml.file(PROVISIONING + "/datasources/prometheus.yml").path("datasources");
    assertThat(datasources).hasSize(1);
    var datasource = datasources.get(0);
    assertThat(datasource.path("uid").asText()).isEqualTo("prometheus");
    assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
    var url = URI.create(datasource.path("url").asText());
    assertThat(url.getHost()).isEqualTo("prometheus");
    assertThat(Compose.service(url.getHost()).path("image").asText())
        .startsWith("prom/prometheus:");
    assertThat(url.getPort()).isEqualTo(9090);
  }

  @Test
  void composeMountsProvisioningAndDashboardsWhereGrafanaReadsThem() {
    var mounts = Compose.mounts("grafana");
    var provider = Yaml.file(PROVISIONING + "/dashboards/fetchq.yml").path("providers").get(0);
    var dashboardsPath = provider.path("options").path("path").asText();
    assertThat(mounts)
        .anySatisfy(
            m -> {
              assertThat(Path.of(m.source())).isEqualTo(Repository.path(DASHBOARDS));
              assertThat(m.target()).isEqualTo(dashboardsPath);
            })
        .anySatisfy(
            m -> {
              assertThat(Path.of(m.source()))
                  .isEqualTo(Repository.path(PROVISIONING + "/datasources"));
              assertThat(m.target()).isEqualTo("/etc/grafana/provisioning/datasources");
            })
        .anySatisfy(
            m -> {
              assertThat(Path.of(m.source()))
                  .isEqualTo(Repository.path(PROVISIONING + "/dashboards"));
              assertThat(m.target()).isEqualTo("/etc/grafana/provisioning/dashboards");
            });
  }

  @Test
  void everyDashboardQueriesTheProvisionedDatasource() throws IOException {
    var uids = new HashSet<String>();
    for (var file : dashboards()) {
      var dashboard = JsonMapper.builder().build().readTree(Files.readString(file));
      assertThat(dashboard.path("uid").asText()).as(file.toString()).isNotBlank();
      assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid").isTrue();
      var panels = dashboard.path("panels");
      assertThat(panels).isNotEmpty();
      for (var panel : panels) {
        assertDatasource(panel.path("datasource"), Set.of("prometheus"));
        assertThat(panel.path("targets")).isNotEmpty();
        for (var target : panel.path("targets")) {
          assertDatasource(target.path("datasource"), Set.of("prometheus"));
          assertThat(target.path("expr").asText()).isNotBlank();
        }
      }
    }
  }

  static List<Path> dashboards() throws IOException {
    try (var files = Files.list(Repository.path(DASHBOARDS))) {
      var list =
          new ArrayList<>(files.filter(f -> f.toString().endsWith(".json")).sorted().toList());
      assertThat(list).isNotEmpty();
      return list;
    }
  }

  private static void assertDatasource(JsonNode datasource, Set<String> provisionedUids) {
    assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
    assertThat(provisionedUids).contains(datasource.path("uid").asText());
  }
}
