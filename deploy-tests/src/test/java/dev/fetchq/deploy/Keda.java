package dev.fetchq.deploy;

import static dev.fetchq.deploy.CustomResource.require;
import static dev.fetchq.deploy.CustomResource.requireText;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/** KEDA's keda.sh/v1alpha1 ScaledObject and TriggerAuthentication (the fields fetchq uses). */
final class Keda {

  private Keda() {}

  record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec)
      implements CustomResource {
    ScaledObject {
      require(spec != null, "spec");
    }
  }

  record ScaledObjectSpec(
      ScaleTargetRef scaleTargetRef,
      Integer pollingInterval,
      Integer cooldownPeriod,
      Integer initialCooldownPeriod,
      Integer idleReplicaCount,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      Fallback fallback,
      Advanced advanced,
      List<Trigger> triggers) {
    ScaledObjectSpec {
      require(scaleTargetRef != null, "spec.scaleTargetRef");
      require(triggers != null && !triggers.isEmpty(), "spec.triggers");
    }
  }

  record ScaleTargetRef(
      String apiVersion, String kind, String name, String envSourceContainerName) {
    ScaleTargetRef {
      requireText(name, "spec.scaleTargetRef.name");
    }
  }

  record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    Fallback {
      require(failureThreshold != null, "spec.fallback.failureThreshold");
      require(replicas != null, "spec.fallback.replicas");
    }
  }

  record Advanced(
      Boolean restoreToOriginalReplicaCount,
      HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig) {}

  record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

  record Trigger(
      String type,
      String name,
      Map<String, String> metadata,
      AuthenticationRef authenticationRef,
      String metricType,
      Boolean useCachedMetrics) {
    Trigger {
      requireText(type, "spec.triggers[].type");
      require(metadata != null, "spec.triggers[].metadata");
    }
  }

  record AuthenticationRef(String name, String kind) {
    AuthenticationRef {
      requireText(name, "authenticationRef.name");
    }
  }

  record TriggerAuthentication(
      String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec)
      implements CustomResource {
    TriggerAuthentication {
      require(spec != null, "spec");
    }
  }

  record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef, List<EnvRef> env) {}

  record SecretTargetRef(String parameter, String name, String key) {
    SecretTargetRef {
      requireText(parameter, "secretTargetRef[].parameter");
      requireText(name, "secretTargetRef[].name");
      requireText(key, "secretTargetRef[].key");
    }
  }

  record EnvRef(String parameter, String name, String containerName) {}
}
