package dev.fetchq.deploy;

import static dev.fetchq.deploy.CustomResource.require;
import static dev.fetchq.deploy.CustomResource.requireText;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's monitoring.coreos.com/v1 ServiceMonitor, PodMonitor and PrometheusRule
 * (the fields fetchq uses). {@link RuleGroup} also reads a plain Prometheus rule file.
 */
final class PrometheusOperator {

  private PrometheusOperator() {}

  record ServiceMonitor(
      String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec)
      implements CustomResource {
    ServiceMonitor {
      require(spec != null, "spec");
    }
  }

  record ServiceMonitorSpec(
      String jobLabel,
      List<String> targetLabels,
      List<String> podTargetLabels,
      List<Endpoint> endpoints,
      LabelSelector selector,
      NamespaceSelector namespaceSelector) {
    ServiceMonitorSpec {
      require(selector != null, "spec.selector");
      require(endpoints != null && !endpoints.isEmpty(), "spec.endpoints");
    }
  }

  record Endpoint(
      String port,
      IntOrString targetPort,
      String path,
      String scheme,
      Map<String, List<String>> params,
      String interval,
      String scrapeTimeout,
      Boolean honorLabels,
      List<RelabelConfig> relabelings,
      List<RelabelConfig> metricRelabelings) {}

  record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec)
      implements CustomResource {
    PodMonitor {
      require(spec != null, "spec");
    }
  }

  record PodMonitorSpec(
      String jobLabel,
      List<String> podTargetLabels,
      List<PodMetricsEndpoint> podMetricsEndpoints,
      LabelSelector selector,
      NamespaceSelector namespaceSelector) {
    PodMonitorSpec {
      require(selector != null, "spec.selector");
      require(
          podMetricsEndpoints != null && !podMetricsEndpoints.isEmpty(),
          "spec.podMetricsEndpoints");
    }
  }

  record PodMetricsEndpoint(
      String port,
      Integer portNumber,
      String path,
      String scheme,
      Map<String, List<String>> params,
      String interval,
      String scrapeTimeout,
      Boolean honorLabels,
      List<RelabelConfig> relabelings,
      List<RelabelConfig> metricRelabelings) {}

  record RelabelConfig(
      List<String> sourceLabels,
      String separator,
      String targetLabel,
      String regex,
      Long modulus,
      String replacement,
      String action) {}

  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  record PrometheusRule(
      String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec)
      implements CustomResource {
    PrometheusRule {
      require(spec != null, "spec");
    }
  }

  record PrometheusRuleSpec(List<RuleGroup> groups) {
    PrometheusRuleSpec {
      require(groups != null && !groups.isEmpty(), "spec.groups");
    }
  }

  /** A rule group, as in a Prometheus rule file and in a PrometheusRule's spec.groups. */
  record RuleGroup(String name, String interval, List<Rule> rules) {
    RuleGroup {
      requireText(name, "groups[].name");
      require(rules != null && !rules.isEmpty(), "groups[].rules");
    }
  }

  record Rule(
      String alert,
      String record,
      String expr,
      @JsonProperty("for") String forDuration,
      @JsonProperty("keep_firing_for") String keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations) {
    Rule {
      requireText(expr, "rules[].expr");
      require((alert == null) != (record == null), "exactly one of rules[].alert, rules[].record");
    }
  }
}
