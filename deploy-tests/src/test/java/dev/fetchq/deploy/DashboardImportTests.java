package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * observability/grafana/import-dashboard.py turns a dashboard exported for sharing into one Grafana
 * provisions from a file; tried on an export with every datasource form a shared dashboard uses.
 */
class DashboardImportTests {

  private static final String SCRIPT = "observability/grafana/import-dashboard.py";
  private static final Path EXPORT = Path.of("src/test/resources/grafana/shared-export.json");

  @Test
  void aSharedExportBecomesProvisionable() {
    var imported =
        Dashboards.read(
            Tool.run("python3", SCRIPT, EXPORT.toAbsolutePath().toString(), "--uid", "example")
                .requireSuccess()
                .stdout());

    assertThat(DashboardLint.problems(imported, Dashboards.datasourceUids())).isEmpty();
    assertThat(imported.path("uid").asText()).isEqualTo("example");
    assertThat(imported.path("id").isNull()).isTrue();
    assertThat(imported.has("__inputs") || imported.has("__requires")).isFalse();
    assertThat(imported.path("tags").toString()).contains("example", "fetchq");
    var variables = imported.path("templating").path("list");
    assertThat(variables)
        .extracting(v -> v.path("name").asText())
        .containsExactly("job", "instance");
    assertThat(variables.get(0).path("current").isEmpty()).as("no saved selection").isTrue();
    // Queries and layout are left as published.
    assertThat(Dashboards.panels(imported))
        .extracting(p -> p.path("title").asText())
        .containsExactly(
            "Default datasource",
            "Input placeholder",
            "Collapsed",
            "Object placeholder on $instance",
            "Variable placeholder");
    assertThat(imported.toString())
        .contains("rate(process_cpu_seconds_total{job=\\\"$job\\\"}[$__rate_interval])");
  }

  @Test
  void theLintCatchesWhatTheImportFixes() {
    var problems =
        DashboardLint.problems(
            Dashboards.read(Repository.read(EXPORT.toAbsolutePath())), Dashboards.datasourceUids());
    assertThat(problems)
        .anyMatch(p -> p.startsWith("__inputs"))
        .anyMatch(p -> p.contains("DS_"))
        .anyMatch(p -> p.startsWith("variable datasource chooses a datasource"))
        .anyMatch(p -> p.contains("'Default datasource': datasource null"));
  }

  @Test
  void anotherKindOfDatasourceIsRefusedRatherThanRewritten(@TempDir Path dir) throws IOException {
    var mixed = dir.resolve("mixed.json");
    Files.writeString(
        mixed,
        """
        {"title": "x", "panels": [{"id": 1, "type": "timeseries", "title": "logs",
          "datasource": {"type": "loki", "uid": "${DS_LOKI}"}, "targets": [{"expr": "{app=\\"x\\"}"}]}]}
        """);
    var result =
        Tool.run(Repository.ROOT, Map.of(), "python3", SCRIPT, mixed.toString(), "--uid", "x");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("logs").contains("loki");
  }
}
