package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grafana's provisioning files against the compose stack that mounts them. The dashboards
 * themselves: {@link GrafanaDashboardTests}.
 */
class GrafanaProvisioningTests {

  private static final String PROVISIONING = "observability/grafana/provisioning";
  private static final String DASHBOARDS = "observability/grafana/dashboards";
  private static final String FETCHER = "grafana-dashboards";

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
    var dashboardsPath = provider("fetchq").path("options").path("path").asText();
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
  void bothProvidersFillTheFetchqFolderFromTheirOwnDirectory() {
    var providers = Yaml.file(Dashboards.PROVIDERS).path("providers");
    var names = new HashSet<String>();
    var paths = new HashSet<String>();
    for (var provider : providers) {
      assertThat(names.add(provider.path("name").asText())).as("unique provider name").isTrue();
      assertThat(paths.add(provider.path("options").path("path").asText())).isTrue();
      assertThat(provider.path("type").asText()).isEqualTo("file");
      assertThat(provider.path("folder").asText()).isEqualTo("fetchq");
      assertThat(provider.path("allowUiUpdates").asBoolean(true)).isFalse();
    }
    assertThat(names).containsExactlyInAnyOrder("fetchq", "public");
  }

  /**
   * The public dashboards are not in the repository: the one-shot grafana-dashboards downloads them
   * at each start into a volume that Grafana mounts read-only where the "public" provider reads,
   * and Grafana starts only after it has finished (with --optional it finishes with 0 offline too).
   */
  @Test
  void thePublicDashboardsAreFetchedIntoTheVolumeThePublicProviderReads() {
    var fetcher = Compose.service(FETCHER);
    assertThat(ComposeFileTests.isOneShot(fetcher)).isTrue();
    assertThat(fetcher.path("image").asText()).startsWith("python:3.");
    assertThat(
            Compose.service("grafana").path("depends_on").path(FETCHER).path("condition").asText())
        .isEqualTo("service_completed_successfully");

    // Grafana reads, read-only, the named volume the one-shot writes.
    var publicPath = provider("public").path("options").path("path").asText();
    var grafanaMount =
        Compose.mounts("grafana").stream()
            .filter(m -> m.target().equals(publicPath))
            .findFirst()
            .orElseThrow(() -> new AssertionError("grafana does not mount " + publicPath));
    assertThat(grafanaMount.isBind()).isFalse();
    assertThat(grafanaMount.readOnly()).isTrue();
    var declared = new ArrayList<String>();
    Compose.config().path("volumes").fieldNames().forEachRemaining(declared::add);
    assertThat(declared).contains(grafanaMount.source());
    var written =
        Compose.mounts(FETCHER).stream()
            .filter(m -> m.source().equals(grafanaMount.source()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(FETCHER + " does not mount the volume"));
    assertThat(written.readOnly()).isFalse();
    // The script is the repository's own, mounted read-only.
    var script =
        Compose.mounts(FETCHER).stream()
            .filter(m -> m.isBind() && Path.of(m.source()).endsWith(Dashboards.IMPORT_SCRIPT))
            .findFirst()
            .orElseThrow(() -> new AssertionError(FETCHER + " does not mount the script"));
    assertThat(Path.of(script.source())).isEqualTo(Repository.path(Dashboards.IMPORT_SCRIPT));
    assertThat(script.readOnly()).isTrue();

    // One run of the script per public dashboard: grafana.com id → uid, file <uid>.json,
    // --optional.
    var fetched = new HashMap<Integer, String>();
    for (var run : scriptRuns(fetcher.path("command"), script.target())) {
      assertThat(run).as("%s", run).containsKeys("--grafana-com-id", "--uid", "--output");
      assertThat(run).as("offline, Grafana starts without them").containsKey("--optional");
      assertThat(run).doesNotContainKeys("--url", "--grafana-com-api");
      var uid = run.get("--uid");
      assertThat(run.get("--output")).isEqualTo(written.target() + "/" + uid + ".json");
      fetched.put(Integer.parseInt(run.get("--grafana-com-id")), uid);
    }
    assertThat(fetched).isEqualTo(Dashboards.PUBLIC);
  }

  private static JsonNode provider(String name) {
    for (var provider : Yaml.file(Dashboards.PROVIDERS).path("providers")) {
      if (provider.path("name").asText().equals(name)) {
        return provider;
      }
    }
    throw new AssertionError("no dashboard provider " + name + " in " + Dashboards.PROVIDERS);
  }

  /**
   * The script's runs in {@code [sh, -c, "python3 SCRIPT --opt value ... && python3 SCRIPT ..."]},
   * each as its options (a flag maps to "").
   */
  private static List<Map<String, String>> scriptRuns(JsonNode command, String script) {
    assertThat(command.size()).as("%s", command).isEqualTo(3);
    assertThat(command.get(0).asText() + " " + command.get(1).asText()).isEqualTo("sh -c");
    var runs = new ArrayList<Map<String, String>>();
    for (var run : command.get(2).asText().split("&&")) {
      var words = List.of(run.strip().split("\\s+"));
      assertThat(words.subList(0, 2)).as(run).containsExactly("python3", script);
      var options = new HashMap<String, String>();
      for (int i = 2; i < words.size(); i++) {
        var word = words.get(i);
        assertThat(word).as(run).startsWith("--");
        var hasValue = i + 1 < words.size() && !words.get(i + 1).startsWith("--");
        options.put(word, hasValue ? words.get(++i) : "");
      }
      runs.add(options);
    }
    assertThat(runs).isNotEmpty();
    return runs;
  }
}
