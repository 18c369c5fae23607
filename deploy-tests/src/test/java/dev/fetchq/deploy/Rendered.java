package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** What {@code kubectl kustomize} renders for one directory, parsed strictly. */
final class Rendered {

  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  private final String directory;
  private final List<JsonNode> documents;
  private final List<Object> objects;

  private Rendered(String directory, List<JsonNode> documents) {
    this.directory = directory;
    this.documents = documents;
    this.objects = documents.stream().map(KubernetesModel::parse).toList();
  }

  static Rendered overlay(String name) {
    return kustomize("k8s/overlays/" + name);
  }

  static Rendered kustomize(String directory) {
    return CACHE.computeIfAbsent(
        directory,
        dir -> {
          var output = Tool.run("kubectl", "kustomize", dir).requireSuccess().stdout();
          var documents = Yaml.readAll(output);
          assertThat(documents).as("objects rendered from %s", dir).isNotEmpty();
          return new Rendered(dir, documents);
        });
  }

  String directory() {
    return directory;
  }

  List<JsonNode> documents() {
    return documents;
  }

  List<Object> objects() {
    return objects;
  }

  <T> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T> Optional<T> find(Class<T> type, String name) {
    return all(type).stream()
        .filter(object -> name.equals(KubernetesModel.metadata(object).getName()))
        .findFirst();
  }

  <T> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(
            () ->
                new AssertionError(
                    directory
                        + " renders no "
                        + type.getSimpleName()
                        + " named "
                        + name
                        + "; it has "
                        + objects.stream().map(KubernetesModel::describe).toList()));
  }

  /** An object made by a kustomize generator: its name is the generator's plus a content hash. */
  <T> T generated(Class<T> type, String name) {
    var matches =
        all(type).stream()
            .filter(
                o ->
                    KubernetesModel.metadata(o)
                        .getName()
                        .matches(Pattern.quote(name) + "-[a-z0-9]{10}"))
            .toList();
    assertThat(matches)
        .as("%s generated as %s-<hash> in %s", type.getSimpleName(), name, directory)
        .hasSize(1);
    return matches.getFirst();
  }

  Deployment deployment(String name) {
    return get(Deployment.class, name);
  }

  /** A pod template's only container (fetchq's pods have one). */
  static Container container(PodTemplateSpec template) {
    assertThat(template.getSpec().getContainers()).hasSize(1);
    return template.getSpec().getContainers().getFirst();
  }

  /**
   * The container's environment as the kubelet builds it: envFrom ConfigMaps, then env entries.
   * Secret values are not known here and read as {@code secret:<name>/<key>}.
   */
  Map<String, String> environment(Container container) {
    var environment = new LinkedHashMap<String, String>();
    for (var source : container.getEnvFrom()) {
      if (source.getConfigMapRef() != null) {
        environment.putAll(get(ConfigMap.class, source.getConfigMapRef().getName()).getData());
      }
      if (source.getSecretRef() != null) {
        throw new AssertionError("envFrom a whole Secret is not used by fetchq: " + source);
      }
    }
    for (var variable : container.getEnv()) {
      var from = variable.getValueFrom();
      if (from == null) {
        environment.put(variable.getName(), variable.getValue());
      } else if (from.getSecretKeyRef() != null) {
        var ref = from.getSecretKeyRef();
        environment.put(variable.getName(), "secret:" + ref.getName() + "/" + ref.getKey());
      } else if (from.getConfigMapKeyRef() != null) {
        var ref = from.getConfigMapKeyRef();
        environment.put(
            variable.getName(), get(ConfigMap.class, ref.getName()).getData().get(ref.getKey()));
      } else {
        environment.put(variable.getName(), "fieldRef");
      }
    }
    return environment;
  }
}
