package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and dashboards exist once, in observability/. Kubernetes needs them inside
 * k8s/components/monitoring (kustomize loads no file outside a kustomization's folder, and a
 * PrometheusRule wraps the rule groups in an object), so that component holds generated copies, and
 * a generated dashboards/kustomization.yaml with one ConfigMap per dashboard. These tests fail when
 * a copy differs from its source; {@code -Dfetchq.regenerate=true} rewrites the copies (and removes
 * copies of deleted dashboards) instead.
 */
class ObservabilityCopiesTests {

  static final String COMPONENT = "k8s/components/monitoring";
  private static final String RULES = "observability/prometheus/rules/fetchq.rules.yml";
  private static final String PROMETHEUS_RULE = COMPONENT + "/prometheus-rule.yaml";
  static final String DASHBOARD_COPIES = COMPONENT + "/dashboards";
  private static final String DASHBOARDS_KUSTOMIZATION = DASHBOARD_COPIES + "/kustomization.yaml";
  private static final boolean REGENERATE = Boolean.getBoolean("fetchq.regenerate");
  private static final String HOW = "; run ./mvnw -pl deploy-tests test -Dfetchq.regenerate=true";

  @Test
  void thePrometheusRuleIsGeneratedFromTheComposeRuleFile() throws IOException {
    var expected = prometheusRule(Repository.read(RULES));
    if (REGENERATE) {
      Files.writeString(Repository.path(PROMETHEUS_RULE), expected);
    }
    assertThat(Repository.read(PROMETHEUS_RULE))
        .as(PROMETHEUS_RULE + " is out of date with " + RULES + HOW)
        .isEqualTo(expected);
  }

  @Test
  void theRenderedPrometheusRuleCarriesExactlyTheComposeRuleGroups() {
    var rendered = Rendered.overlay("prod");
    var rule =
        rendered.documents().stream()
            .filter(d -> d.path("kind").asText().equals("PrometheusRule"))
            .findFirst()
            .orElseThrow();
    assertThat(rule.path("spec").path("groups")).isEqualTo(Yaml.file(RULES).path("groups"));
    // The same groups also read strictly as the PrometheusRule's own schema.
    var parsed = rendered.get(PrometheusOperator.PrometheusRule.class, "fetchq");
    var fromFile =
        KubernetesModel.read(Yaml.file(RULES), PrometheusOperator.PrometheusRuleSpec.class);
    assertThat(parsed.spec()).isEqualTo(fromFile);
  }

  @Test
  void kubernetesShipsEveryDashboardUnchangedInItsOwnConfigMap() throws IOException {
    var expected = dashboardsKustomization(Dashboards.files());
    if (REGENERATE) {
      syncDashboardCopies();
      Files.writeString(Repository.path(DASHBOARDS_KUSTOMIZATION), expected);
    }
    assertThat(Repository.read(DASHBOARDS_KUSTOMIZATION))
        .as(DASHBOARDS_KUSTOMIZATION + " is out of date" + HOW)
        .isEqualTo(expected);
    try (var copies = Files.list(Repository.path(DASHBOARD_COPIES))) {
      assertThat(copies.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .as("dashboards in " + DASHBOARD_COPIES + HOW)
          .containsExactlyInAnyOrderElementsOf(
              Dashboards.files().stream().map(f -> f.getFileName().toString()).toList());
    }

    var rendered = Rendered.overlay("prod");
    for (var source : Dashboards.files()) {
      var name = source.getFileName().toString();
      var copy = Repository.path(DASHBOARD_COPIES).resolve(name);
      assertThat(Repository.read(copy))
          .as(copy + " is out of date" + HOW)
          .isEqualTo(Repository.read(source));
      var configMap = rendered.get(ConfigMap.class, configMapName(source));
      assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      assertThat(configMap.getData()).containsOnlyKeys(name);
      assertThat(configMap.getData().get(name)).isEqualTo(Repository.read(source));
      // A client-side `kubectl apply` stores the object in an annotation of at most 256 KiB.
      assertThat(KubernetesModel.STRICT.writeValueAsBytes(configMap).length)
          .as("%s fits kubectl apply's last-applied annotation", configMap.getMetadata().getName())
          .isLessThan(256 * 1024 - 4096);
    }
  }

  private static void syncDashboardCopies() throws IOException {
    var names = new HashSet<String>();
    for (var source : Dashboards.files()) {
      names.add(source.getFileName().toString());
      Files.copy(
          source,
          Repository.path(DASHBOARD_COPIES).resolve(source.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    try (var copies = Files.list(Repository.path(DASHBOARD_COPIES))) {
      for (var copy : copies.toList()) {
        if (copy.toString().endsWith(".json") && !names.contains(copy.getFileName().toString())) {
          Files.delete(copy);
        }
      }
    }
  }

  static String configMapName(Path dashboard) {
    return "fetchq-dashboard-" + dashboard.getFileName().toString().replace(".json", "");
  }

  /** One ConfigMap per dashboard, for the Grafana sidecar (label grafana_dashboard=1). */
  static String dashboardsKustomization(List<Path> dashboards) {
    var text =
        new StringBuilder(
            """
            # GENERATED from observability/grafana/dashboards: do not edit.
            # Regenerate: ./mvnw -pl deploy-tests test -Dfetchq.regenerate=true (deploy-tests fails while they differ).
            # One ConfigMap per dashboard, each labelled for Grafana's dashboard sidecar. The grafana_folder annotation
            # puts them in a "fetchq" folder where the sidecar is told to read it (kube-prometheus-stack:
            # grafana.sidecar.dashboards.folderAnnotation=grafana_folder and
            # grafana.sidecar.dashboards.provider.foldersFromFilesStructure=true).
            # The public RabbitMQ-Overview and JVM (Micrometer) dashboards are not here: they are never committed;
            # ../README.md shows how to make their ConfigMaps with observability/grafana/import-dashboard.py.
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization

            generatorOptions:
              disableNameSuffixHash: true
              labels:
                grafana_dashboard: "1"
              annotations:
                grafana_folder: fetchq

            configMapGenerator:
            """);
    for (var dashboard : dashboards) {
      text.append("  - name: ").append(configMapName(dashboard)).append('\n');
      text.append("    files:\n");
      text.append("      - ").append(dashboard.getFileName()).append('\n');
    }
    return text.toString();
  }

  /** The PrometheusRule for a rule file: a header, then the file's text indented under spec. */
  static String prometheusRule(String ruleFile) {
    var header =
        """
        # GENERATED from observability/prometheus/rules/fetchq.rules.yml: edit that file, not this one.
        # Regenerate: ./mvnw -pl deploy-tests test -Dfetchq.regenerate=true (deploy-tests fails while they differ).
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: fetchq
        spec:
        """;
    var body =
        ruleFile
            .lines()
            .map(line -> line.isEmpty() ? line : "  " + line)
            .collect(Collectors.joining("\n", "", "\n"));
    return header + body;
  }
}
