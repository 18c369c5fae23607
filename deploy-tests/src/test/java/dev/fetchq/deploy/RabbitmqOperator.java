package dev.fetchq.deploy;

import static dev.fetchq.deploy.CustomResource.require;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * The RabbitMQ Cluster Operator's rabbitmq.com/v1beta1 RabbitmqCluster (the fields fetchq uses).
 * The operator names what it creates after the cluster: Service {@code <name>}, Secret {@code
 * <name>-default-user} (username, password), pods labelled {@code app.kubernetes.io/name: <name>}
 * and {@code app.kubernetes.io/component: rabbitmq}.
 */
final class RabbitmqOperator {

  private RabbitmqOperator() {}

  static String defaultUserSecret(RabbitmqCluster cluster) {
    return cluster.metadata().getName() + "-default-user";
  }

  static Map<String, String> podLabels(RabbitmqCluster cluster) {
    return Map.of(
        "app.kubernetes.io/name",
        cluster.metadata().getName(),
        "app.kubernetes.io/component",
        "rabbitmq");
  }

  record RabbitmqCluster(
      String apiVersion, String kind, ObjectMeta metadata, RabbitmqClusterSpec spec)
      implements CustomResource {
    RabbitmqCluster {
      require(spec != null, "spec");
    }
  }

  record RabbitmqClusterSpec(
      Integer replicas,
      String image,
      List<LocalObjectReference> imagePullSecrets,
      ResourceRequirements resources,
      Persistence persistence,
      Rabbitmq rabbitmq,
      Affinity affinity,
      List<Toleration> tolerations,
      ServiceSpec service,
      Long terminationGracePeriodSeconds,
      Integer delayStartSeconds,
      Boolean skipPostDeployVerification,
      Map<String, Object> override) {}

  record Persistence(String storageClassName, Quantity storage) {}

  record Rabbitmq(
      String additionalConfig,
      List<String> additionalPlugins,
      String advancedConfig,
      String envConfig) {}

  record ServiceSpec(String type, Map<String, String> annotations) {}
}
