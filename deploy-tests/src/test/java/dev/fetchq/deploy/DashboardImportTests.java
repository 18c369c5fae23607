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

  private static final String SCRIPT = Dashboards.IMPORT_SCRIPT;
  static final Path EXPORT = Path.of("src/test/resources/grafana/shared-export.json");

  /**
   * A dashboard older than schema 16 (panels in {@code rows[].panels}, as JVM (Micrometer) still
   * is), with a constant input filled in by the UI import.
   */
  static final Path LEGACY_EXPORT = Path.of("src/test/resources/grafana/legacy-rows-export.json");

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
  void aLegacyExportWithRowsAndAConstantInputBecomesProvisionable() {
    var imported =
        Dashboards.read(
            Tool.run("python3", SCRIPT, LEGACY_EXPORT.toAbsolutePath().toString(), "--uid", "old")
                .requireSuccess()
                .stdout());

    assertThat(DashboardLint.problems(imported, Dashboards.datasourceUids())).isEmpty();
    assertThat(imported.has("__inputs")).isFalse();
    assertThat(imported.path("uid").asText()).isEqualTo("old");
    // The layout stays legacy (Grafana migrates it on load); every panel in it is mapped.
    assertThat(imported.has("panels")).isFalse();
    assertThat(Dashboards.panels(imported))
        .extracting(p -> p.path("title").asText())
        .containsExactly("Started", "CPU");
    assertThat(Dashboards.panels(imported))
        .allSatisfy(
            p -> assertThat(p.path("datasource").path("uid").asText()).isEqualTo("prometheus"));
    assertThat(imported.path("annotations").path("list").get(1).path("datasource").path("uid"))
        .hasToString("\"prometheus\"");
    // ${VAR_WINDOW} becomes the constant's published value, as the UI import does.
    assertThat(imported.toString())
        .contains("rate(process_cpu_seconds_total{instance=\\\"$instance\\\"}[2m])")
        .doesNotContain("VAR_WINDOW");
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
    var legacy =
        DashboardLint.problems(
            Dashboards.read(Repository.read(LEGACY_EXPORT.toAbsolutePath())),
            Dashboards.datasourceUids());
    assertThat(legacy)
        .anyMatch(p -> p.startsWith("panel 2 'CPU': datasource \"${DS_PROMETHEUS}\""))
        .anyMatch(p -> p.contains("uses $VAR_WINDOW, which is not defined"));
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

  @Test
  void aPlaceholderForAnotherKindOfDatasourceIsRefusedToo(@TempDir Path dir) throws IOException {
    var mixed = dir.resolve("mixed.json");
    Files.writeString(
        mixed,
        """
        {"__inputs": [{"name": "DS_LOKI", "type": "datasource", "pluginId": "loki"}],
         "title": "x", "panels": [{"id": 1, "type": "logs", "title": "app logs",
          "datasource": "${DS_LOKI}", "targets": [{"expr": "{app=\\"x\\"}"}]}]}
        """);
    var result =
        Tool.run(Repository.ROOT, Map.of(), "python3", SCRIPT, mixed.toString(), "--uid", "x");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("app logs").contains("DS_LOKI").contains("not Prometheus");
  }
}
