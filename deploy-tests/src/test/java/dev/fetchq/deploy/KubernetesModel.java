package dev.fetchq.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads rendered Kubernetes objects into typed models, strictly: fabric8's classes for core
 * objects, our {@link CustomResource} records for the CRDs.
 *
 * <p>fabric8's classes accept any unknown field into {@code additionalProperties} through
 * {@code @JsonAnySetter}, so FAIL_ON_UNKNOWN_PROPERTIES alone would let a misspelt field pass. The
 * mapper's introspector ignores every any-setter, which leaves unknown fields to fail the parse
 * (StrictParsingTests proves it on wrong snippets). Scalars are not coerced either: a quoted number
 * where Kubernetes wants an integer fails too.
 */
final class KubernetesModel {

  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .annotationIntrospector(new NoAnySetterIntrospector())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  /** apiVersion/kind of every object fetchq renders, and the class it is read into. */
  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class),
          Map.entry("keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class),
          Map.entry(
              "monitoring.coreos.com/v1/ServiceMonitor", PrometheusOperator.ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1/PodMonitor", PrometheusOperator.PodMonitor.class),
          Map.entry(
              "monitoring.coreos.com/v1/PrometheusRule", PrometheusOperator.PrometheusRule.class),
          Map.entry(
              "rabbitmq.com/v1beta1/RabbitmqCluster", RabbitmqOperator.RabbitmqCluster.class));

  private KubernetesModel() {}

  /** Reads one rendered object; fails with the object and the offending field named. */
  static Object parse(JsonNode object) {
    var key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    var type = TYPES.get(key);
    if (type == null) {
      throw new IllegalArgumentException(
          describe(object)
              + ": no model for "
              + key
              + " (known: "
              + new TreeSet<>(TYPES.keySet())
              + ")");
    }
    return read(object, type);
  }

  static <T> T read(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          describe(node)
              + ": unknown field '"
              + e.getPropertyName()
              + "' at "
              + e.getPathReference(),
          e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(node) + ": " + e.getMessage(), e);
    }
  }

  static ObjectMeta metadata(Object object) {
    return switch (object) {
      case HasMetadata resource -> resource.getMetadata();
      case CustomResource resource -> resource.metadata();
      default -> throw new IllegalArgumentException("not a Kubernetes object: " + object);
    };
  }

  static String kind(Object object) {
    return switch (object) {
      case HasMetadata resource -> resource.getKind();
      case CustomResource resource -> resource.kind();
      default -> throw new IllegalArgumentException("not a Kubernetes object: " + object);
    };
  }

  static String describe(Object object) {
    return kind(object) + "/" + metadata(object).getName();
  }

  private static String describe(JsonNode node) {
    return node.path("kind").asText("?") + "/" + node.path("metadata").path("name").asText("?");
  }

  /** Jackson's introspector without any-setters: unknown fields fail instead of being kept. */
  private static final class NoAnySetterIntrospector extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasAnySetter(Annotated annotated) {
      return Boolean.FALSE;
    }
  }
}
