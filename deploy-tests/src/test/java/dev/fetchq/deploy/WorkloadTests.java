package dev.fetchq.deploy;

import static dev.fetchq.deploy.Manifests.API;
import static dev.fetchq.deploy.Manifests.APPS;
import static dev.fetchq.deploy.Manifests.NAMESPACE;
import static dev.fetchq.deploy.Manifests.PINNED;
import static dev.fetchq.deploy.Manifests.WORKER;
import static dev.fetchq.deploy.Manifests.amount;
import static dev.fetchq.deploy.Manifests.containerPort;
import static dev.fetchq.deploy.Manifests.dockerfileUser;
import static dev.fetchq.deploy.Manifests.managementPort;
import static dev.fetchq.deploy.Manifests.preStopPause;
import static dev.fetchq.deploy.Manifests.resolve;
import static dev.fetchq.deploy.Manifests.tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay under k8s/overlays (and the base), rendered with {@code kubectl kustomize} and read
 * strictly ({@link KubernetesModel}), checked for how fetchq's pods run: probes, shutdown,
 * disruption budgets, security context, resources, references, images and the shared volume.
 */
class WorkloadTests {

  @Test
  void theOverlaysAreDevAndProd() throws IOException {
    assertThat(Manifests.overlays()).contains("dev", "prod");
  }

  @Test
  void theBaseRendersOnItsOwn() {
    var base = Rendered.kustomize("k8s/base");
    assertThat(base.get(Namespace.class, NAMESPACE)).isNotNull();
    assertThat(base.all(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(APPS);
    assertThat(base.objects()).noneMatch(CustomResource.class::isInstance);
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void everyRenderedObjectParsesStrictly(String overlay) {
    var rendered = Rendered.overlay(overlay);
    assertThat(rendered.objects()).hasSameSizeAs(rendered.documents());
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void everythingLivesInTheFetchqNamespace(String overlay) {
    for (var object : Rendered.overlay(overlay).objects()) {
      var metadata = KubernetesModel.metadata(object);
      if (object instanceof Namespace) {
        assertThat(metadata.getName()).isEqualTo(NAMESPACE);
      } else {
        assertThat(metadata.getNamespace())
            .as(KubernetesModel.describe(object))
            .isEqualTo(NAMESPACE);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void probesAskTheActuatorOnTheManagementPort(String overlay) {
    var rendered = Rendered.overlay(overlay);
    for (var app : APPS) {
      var container = Rendered.container(rendered.deployment(app).getSpec().getTemplate());
      var port = managementPort(rendered, container);
      assertThat(containerPort(container, "management")).as(app).isEqualTo(port);
      assertProbe(container, container.getStartupProbe(), "/actuator/health/liveness", port);
      assertProbe(container, container.getLivenessProbe(), "/actuator/health/liveness", port);
      assertProbe(container, container.getReadinessProbe(), "/actuator/health/readiness", port);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void shutdownFitsInTheGracePeriod(String overlay) {
    var rendered = Rendered.overlay(overlay);
    for (var app : APPS) {
      var pod = rendered.deployment(app).getSpec().getTemplate().getSpec();
      var container = Rendered.container(rendered.deployment(app).getSpec().getTemplate());
      var environment = rendered.environment(container);
      var lifecycle =
          Durations.parse(environment.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
      var grace = Duration.ofSeconds(pod.getTerminationGracePeriodSeconds());
      assertThat(grace)
          .as("%s grace period", app)
          .isGreaterThan(preStopPause(container).plus(lifecycle));
    }
    var api = Rendered.container(rendered.deployment(API).getSpec().getTemplate());
    assertThat(preStopPause(api)).as("api-service leaves endpoints before stopping").isPositive();

    var worker =
        rendered.environment(
            Rendered.container(rendered.deployment(WORKER).getSpec().getTemplate()));
    var drain = Durations.parse(worker.get("FETCHQ_WORKER_SHUTDOWN_TIMEOUT"));
    assertThat(drain).isEqualTo(Duration.ofSeconds(60));
    assertThat(Durations.parse(worker.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")))
        .isEqualTo(Duration.ofSeconds(70));
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void everyDeploymentHasADisruptionBudgetOfOne(String overlay) {
    var rendered = Rendered.overlay(overlay);
    for (var deployment : rendered.all(Deployment.class)) {
      var labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      var budgets =
          rendered.all(PodDisruptionBudget.class).stream()
              .filter(pdb -> Labels.matches(pdb.getSpec().getSelector(), labels))
              .toList();
      assertThat(budgets).as("PDB of %s", deployment.getMetadata().getName()).hasSize(1);
      assertThat(budgets.getFirst().getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
      assertThat(budgets.getFirst().getSpec().getMinAvailable()).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void fetchqPodsRunLockedDown(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var imageUser = Long.parseLong(dockerfileUser());
    for (var app : APPS) {
      var template = rendered.deployment(app).getSpec().getTemplate();
      var pod = template.getSpec();
      assertThat(pod.getAutomountServiceAccountToken()).as(app).isFalse();
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(imageUser);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");

      var container = Rendered.container(template);
      var security = container.getSecurityContext();
      assertThat(security.getAllowPrivilegeEscalation()).as(app).isFalse();
      assertThat(security.getReadOnlyRootFilesystem()).isTrue();
      assertThat(security.getRunAsNonRoot()).isTrue();
      assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd()).isEmpty();

      // A read-only root filesystem needs a writable /tmp (java.io.tmpdir, Tomcat's work dir).
      var tmp =
          container.getVolumeMounts().stream()
              .filter(mount -> mount.getMountPath().equals("/tmp"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(app + " mounts nothing on /tmp"));
      assertThat(pod.getVolumes())
          .anySatisfy(
              volume -> {
                assertThat(volume.getName()).isEqualTo(tmp.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
              });
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void everyContainerHasRequestsAndLimits(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var templates = new ArrayList<PodTemplateSpec>();
    rendered.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
    rendered.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
    for (var template : templates) {
      for (var container : template.getSpec().getContainers()) {
        var requests = container.getResources().getRequests();
        var limits = container.getResources().getLimits();
        assertThat(requests).as(container.getName()).containsKeys("cpu", "memory");
        assertThat(limits).as(container.getName()).containsKeys("cpu", "memory");
        for (var resource : List.of("cpu", "memory")) {
          assertThat(amount(requests.get(resource)))
              .as("%s %s request", container.getName(), resource)
              .isLessThanOrEqualTo(amount(limits.get(resource)));
        }
      }
    }
    // The JVM sizes its heap from the memory limit; a request below it invites an OOM kill.
    for (var app : APPS) {
      var resources =
          Rendered.container(rendered.deployment(app).getSpec().getTemplate()).getResources();
      assertThat(resources.getRequests().get("memory"))
          .isEqualTo(resources.getLimits().get("memory"));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void everyReferenceResolvesOrIsProvidedByAnOperator(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var references = new HashSet<String>();
    var templates = new ArrayList<PodTemplateSpec>();
    rendered.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
    rendered.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
    for (var template : templates) {
      for (var container : template.getSpec().getContainers()) {
        for (var source : container.getEnvFrom()) {
          if (source.getConfigMapRef() != null) {
            references.add("ConfigMap/" + source.getConfigMapRef().getName());
          }
        }
        for (var variable : container.getEnv()) {
          var from = variable.getValueFrom();
          if (from != null && from.getSecretKeyRef() != null) {
            references.add("Secret/" + from.getSecretKeyRef().getName());
          }
          if (from != null && from.getConfigMapKeyRef() != null) {
            references.add("ConfigMap/" + from.getConfigMapKeyRef().getName());
          }
        }
      }
      for (var volume : template.getSpec().getVolumes()) {
        if (volume.getConfigMap() != null) {
          references.add("ConfigMap/" + volume.getConfigMap().getName());
        }
        if (volume.getSecret() != null) {
          references.add("Secret/" + volume.getSecret().getSecretName());
        }
        if (volume.getPersistentVolumeClaim() != null) {
          references.add(
              "PersistentVolumeClaim/" + volume.getPersistentVolumeClaim().getClaimName());
        }
      }
    }
    for (var auth : rendered.all(Keda.TriggerAuthentication.class)) {
      auth.spec().secretTargetRef().forEach(ref -> references.add("Secret/" + ref.name()));
    }
    for (var scaled : rendered.all(Keda.ScaledObject.class)) {
      references.add("Deployment/" + scaled.spec().scaleTargetRef().name());
      scaled.spec().triggers().stream()
          .map(Keda.Trigger::authenticationRef)
          .filter(Objects::nonNull)
          .forEach(ref -> references.add("TriggerAuthentication/" + ref.name()));
    }

    var present = new HashSet<String>();
    rendered
        .objects()
        .forEach(
            o ->
                present.add(KubernetesModel.kind(o) + "/" + KubernetesModel.metadata(o).getName()));
    var providedElsewhere = new HashSet<String>();
    for (var cluster : rendered.all(RabbitmqOperator.RabbitmqCluster.class)) {
      providedElsewhere.add("Secret/" + RabbitmqOperator.defaultUserSecret(cluster));
    }
    if (overlay.equals("prod")) {
      // The managed database's credentials and the admin token, created out of band as the
      // overlay's notes say.
      var notes = Repository.read("k8s/overlays/prod/kustomization.yaml");
      assertThat(notes).contains("create secret generic fetchq-postgres");
      providedElsewhere.add("Secret/fetchq-postgres");
      assertThat(notes).contains("create secret generic fetchq-admin");
      providedElsewhere.add("Secret/fetchq-admin");
      // Optional (secretKeyRef optional: true): keys can also be created through the admin API.
      assertThat(notes).contains("create secret generic fetchq-api-keys");
      providedElsewhere.add("Secret/fetchq-api-keys");
    }
    var missing = new HashSet<>(references);
    missing.removeAll(present);
    assertThat(missing)
        .as("references nothing in %s provides", overlay)
        .isSubsetOf(providedElsewhere);
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void imagesArePinnedAndBothServicesShipTogether(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var images = new ArrayList<String>();
    rendered
        .all(Deployment.class)
        .forEach(
            d ->
                d.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .forEach(c -> images.add(c.getImage())));
    rendered
        .all(StatefulSet.class)
        .forEach(
            s ->
                s.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .forEach(c -> images.add(c.getImage())));
    rendered.all(RabbitmqOperator.RabbitmqCluster.class).forEach(c -> images.add(c.spec().image()));
    assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(image).matches(PINNED));

    var api = Rendered.container(rendered.deployment(API).getSpec().getTemplate()).getImage();
    var worker = Rendered.container(rendered.deployment(WORKER).getSpec().getTemplate()).getImage();
    assertThat(tag(api)).isEqualTo(tag(worker));
    if (overlay.equals("prod")) {
      // Pulled from a registry, not a name only a laptop's Docker knows.
      assertThat(List.of(api, worker))
          .allSatisfy(image -> assertThat(image.substring(0, image.indexOf('/'))).contains("."));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void workersWriteAndTheApiReadsOneSharedVolume(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var claims = new HashSet<String>();
    for (var app : APPS) {
      var template = rendered.deployment(app).getSpec().getTemplate();
      var container = Rendered.container(template);
      var storageDir = rendered.environment(container).get("FETCHQ_STORAGE_DIR");
      var mount =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals(storageDir))
              .findFirst()
              .orElseThrow(() -> new AssertionError(app + " does not mount " + storageDir));
      var volume =
          template.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(volume.getPersistentVolumeClaim()).as(app).isNotNull();
      claims.add(volume.getPersistentVolumeClaim().getClaimName());
      assertThat(Boolean.TRUE.equals(mount.getReadOnly()))
          .as("%s mounts downloads read-only", app)
          .isEqualTo(app.equals(API));
    }
    assertThat(claims)
        .singleElement()
        .satisfies(
            claim -> assertThat(rendered.find(PersistentVolumeClaim.class, claim)).isPresent());
  }

  private static void assertProbe(Container container, Probe probe, String path, int port) {
    assertThat(probe).as("%s probe for %s", container.getName(), path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(resolve(container, probe.getHttpGet().getPort())).isEqualTo(port);
  }
}
