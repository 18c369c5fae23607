package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Grafana's provisioning files against the compose stack that mounts them. The dashboards
 * themselves: {@link GrafanaDashboardTests}.
 */
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
}
