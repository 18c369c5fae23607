package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and dashboards exist once, in observability/. Kubernetes needs them inside
 * k8s/components/monitoring (kustomize loads no file outside a kustomization's folder, and a
 * PrometheusRule wraps the rule groups in an object), so that component holds generated copies.
 * These tests fail when a copy differs from its source; {@code -Dfetchq.regenerate=true} rewrites
 * the copies instead.
 */
class ObservabilityCopiesTests {

  private static final String RULES = "observability/prometheus/rules/fetchq.rules.yml";
  private static final String PROMETHEUS_RULE = "k8s/components/monitoring/prometheus-rule.yaml";
  private static final String DASHBOARD_COPIES = "k8s/components/monitoring/dashboards";
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
  void kubernetesShipsEveryDashboardUnchanged() throws IOException {
    var rendered = Rendered.overlay("prod").get(ConfigMap.class, "fetchq-grafana-dashboards");
    assertThat(rendered.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    var names =
        GrafanaProvisioningTests.dashboards().stream()
            .map(f -> f.getFileName().toString())
            .collect(Collectors.toSet());
    assertThat(rendered.getData().keySet())
        .as("dashboards in the ConfigMap" + HOW)
        .isEqualTo(names);
    for (var source : GrafanaProvisioningTests.dashboards()) {
      var copy = Repository.path(DASHBOARD_COPIES).resolve(source.getFileName());
      if (REGENERATE) {
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      assertThat(Repository.read(copy))
          .as(copy + " is out of date" + HOW)
          .isEqualTo(Repository.read(source));
      assertThat(rendered.getData().get(source.getFileName().toString()))
          .isEqualTo(Repository.read(source));
    }
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
