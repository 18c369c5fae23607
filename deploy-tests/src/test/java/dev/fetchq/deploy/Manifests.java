package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the Kubernetes manifest tests share: the overlays to render, fetchq's workload names, and
 * lookups into rendered pod templates.
 */
final class Manifests {

  static final String NAMESPACE = "fetchq";

  static final String API = "api-service";

  static final String WORKER = "download-worker";

  static final List<String> APPS = List.of(API, WORKER);

  static final Pattern PINNED =
      Pattern.compile("[^:@]+(:v?\\d+\\.\\d+[\\w.-]*|@sha256:[0-9a-f]{64})");

  private Manifests() {}

  /** Every folder under k8s/overlays: a new overlay is checked without being listed here. */
  static Stream<String> overlays() throws IOException {
    try (var directories = Files.list(Repository.path("k8s/overlays"))) {
      return directories
          .filter(Files::isDirectory)
          .map(Path::getFileName)
          .map(Path::toString)
          .sorted()
          .toList()
          .stream();
    }
  }

  static int managementPort(Rendered rendered, Container container) {
    var environment = rendered.environment(container);
    return Integer.parseInt(
        environment.getOrDefault("MANAGEMENT_SERVER_PORT", environment.get("SERVER_PORT")));
  }

  static int containerPort(Container container, String name) {
    return container.getPorts().stream()
        .filter(port -> name.equals(port.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name))
        .getContainerPort();
  }

  static int resolve(Container container, IntOrString port) {
    return port.getStrVal() != null ? containerPort(container, port.getStrVal()) : port.getIntVal();
  }

  static Duration preStopPause(Container container) {
    var lifecycle = container.getLifecycle();
    if (lifecycle == null || lifecycle.getPreStop() == null) {
      return Duration.ZERO;
    }
    var preStop = lifecycle.getPreStop();
    assertThat(preStop.getSleep()).as("%s preStop is a sleep", container.getName()).isNotNull();
    return Duration.ofSeconds(preStop.getSleep().getSeconds());
  }

  static BigDecimal amount(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }

  static String tag(String image) {
    return image.substring(image.lastIndexOf(':') + 1);
  }

  static String dockerfileUser() {
    var matcher = Pattern.compile("(?m)^USER (\\d+)").matcher(Repository.read("Dockerfile"));
    assertThat(matcher.find()).as("Dockerfile sets a numeric USER").isTrue();
    return matcher.group(1);
  }

  static Map<String, String> brokerPodLabels(Rendered rendered) {
    var clusters = rendered.all(RabbitmqOperator.RabbitmqCluster.class);
    if (!clusters.isEmpty()) {
      return RabbitmqOperator.podLabels(clusters.getFirst());
    }
    return rendered
        .get(StatefulSet.class, "rabbitmq")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels();
  }
}
