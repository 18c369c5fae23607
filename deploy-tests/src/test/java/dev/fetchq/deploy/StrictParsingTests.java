package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/**
 * Proves the parsing the manifest tests rely on is strict: a misspelt field, a quoted number, an
 * unknown kind or a missing required CRD field each fail, where plain Jackson with fabric8's
 * classes would have kept them quietly in {@code additionalProperties}.
 */
class StrictParsingTests {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: example
      spec:
        selector:
          matchLabels: {app: example}
        template:
          metadata:
            labels: {app: example}
          spec:
            containers:
              - name: example
                image: example:1.0.0
                ports:
                  - name: management
                    containerPort: 8081
                livenessProbe:
                  httpGet: {path: /actuator/health/liveness, port: management}
      """;

  @Test
  void aCorrectObjectParses() {
    var deployment = (Deployment) KubernetesModel.parse(Yaml.read(DEPLOYMENT));
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("management");
    assertThat(container.getAdditionalProperties()).isEmpty();
  }

  @Test
  void aMisspeltNestedFieldFails() {
    var wrong = DEPLOYMENT.replace("livenessProbe:", "livenessProb:");
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(wrong)))
        .hasMessageContaining("Deployment/example")
        .hasMessageContaining("unknown field 'livenessProb'");
  }

  @Test
  void aFieldInTheWrongPlaceFails() {
    var wrong =
        DEPLOYMENT.replace("  selector:", "  terminationGracePeriodSeconds: 90\n  selector:");
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(wrong)))
        .hasMessageContaining("unknown field 'terminationGracePeriodSeconds'");
  }

  @Test
  void aQuotedNumberWhereKubernetesWantsAnIntegerFails() {
    var wrong = DEPLOYMENT.replace("containerPort: 8081", "containerPort: \"8081\"");
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(wrong)))
        .hasMessageContaining("Deployment/example");
  }

  @Test
  void plainJacksonWouldHaveAcceptedTheMisspelling() throws Exception {
    var wrong = DEPLOYMENT.replace("livenessProbe:", "livenessProb:");
    var lenient = new ObjectMapper();
    var deployment = lenient.treeToValue(Yaml.read(wrong), Deployment.class);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getAdditionalProperties()).containsKey("livenessProb");
  }

  @Test
  void aMisspeltCustomResourceFieldFails() {
    var scaledObject =
        """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: {name: example}
        spec:
          scaleTargetRef: {name: example}
          minReplicas: 1
          triggers:
            - type: rabbitmq
              metadata: {queueName: q}
        """;
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(scaledObject)))
        .hasMessageContaining("ScaledObject/example")
        .hasMessageContaining("unknown field 'minReplicas'");
  }

  @Test
  void aMissingRequiredCustomResourceFieldFails() {
    var podMonitor =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata: {name: example}
        spec:
          podMetricsEndpoints:
            - port: management
        """;
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(podMonitor)))
        .hasMessageContaining("spec.selector");
  }

  @Test
  void anUnknownKindFails() {
    var unknown =
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: example}
        """;
    assertThatThrownBy(() -> KubernetesModel.parse(Yaml.read(unknown)))
        .hasMessageContaining("no model for example.com/v1/Widget");
  }
}
