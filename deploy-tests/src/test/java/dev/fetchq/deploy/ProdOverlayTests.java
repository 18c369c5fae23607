package dev.fetchq.deploy;

import static dev.fetchq.deploy.Manifests.API;
import static dev.fetchq.deploy.Manifests.APPS;
import static dev.fetchq.deploy.Manifests.NAMESPACE;
import static dev.fetchq.deploy.Manifests.WORKER;
import static dev.fetchq.deploy.Manifests.containerPort;
import static dev.fetchq.deploy.Manifests.managementPort;
import static dev.fetchq.deploy.Manifests.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.Topology;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What only the prod overlay has: the operator-run RabbitMQ cluster, KEDA autoscaling, Prometheus
 * Operator monitors and ReadWriteMany download storage.
 */
class ProdOverlayTests {

  @Test
  void prodSharesDownloadsAcrossNodes() {
    var claim = Rendered.overlay("prod").get(PersistentVolumeClaim.class, "fetchq-downloads");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
  }

  @Test
  void kedaScalesWorkersOnReadyPlusUnackedJobs() {
    var rendered = Rendered.overlay("prod");
    var scaled = rendered.get(Keda.ScaledObject.class, WORKER);
    var spec = scaled.spec();
    var target = spec.scaleTargetRef();
    assertThat(Objects.requireNonNullElse(target.kind(), "Deployment")).isEqualTo("Deployment");
    var worker = rendered.deployment(target.name());
    // The HPA owns the replica count; a fixed one would be re-applied (and drain workers) on every
    // apply.
    assertThat(worker.getSpec().getReplicas()).isNull();
    assertThat(spec.minReplicaCount())
        .as("a warm worker; FetchqNoWorkerUp assumes one")
        .isGreaterThanOrEqualTo(1);
    assertThat(spec.maxReplicaCount()).isGreaterThan(spec.minReplicaCount());

    var environment = rendered.environment(Rendered.container(worker.getSpec().getTemplate()));
    var trigger = spec.triggers().getFirst();
    assertThat(spec.triggers()).hasSize(1);
    assertThat(trigger.type()).isEqualTo("rabbitmq");
    var metadata = trigger.metadata();
    assertThat(metadata.get("queueName")).isEqualTo(Topology.JOBS_QUEUE);
    assertThat(metadata.get("vhostName"))
        .isEqualTo(environment.get("SPRING_RABBITMQ_VIRTUAL_HOST"));
    // HTTP reads `messages` (ready + unacked) from the management API; AMQP would see ready ones
    // only.
    assertThat(metadata.get("protocol")).isEqualTo("http");
    assertThat(metadata.get("mode")).isEqualTo("QueueLength");
    assertThat(metadata.getOrDefault("excludeUnacknowledged", "false")).isEqualTo("false");
    assertThat(metadata.get("value")).isEqualTo(environment.get("FETCHQ_WORKER_CONCURRENCY"));

    var host = URI.create(metadata.get("host"));
    assertThat(host.getScheme()).isEqualTo("http");
    assertThat(host.getUserInfo()).as("credentials belong in the TriggerAuthentication").isNull();
    assertThat(host.getHost())
        .isEqualTo(environment.get("SPRING_RABBITMQ_HOST") + "." + NAMESPACE + ".svc");
    assertThat(host.getPort()).isEqualTo(15672);

    var auth = rendered.get(Keda.TriggerAuthentication.class, trigger.authenticationRef().name());
    var workerSecret = environment.get("SPRING_RABBITMQ_USERNAME");
    assertThat(auth.spec().secretTargetRef())
        .extracting(ref -> ref.parameter() + "=secret:" + ref.name() + "/" + ref.key())
        .containsExactlyInAnyOrder(
            "username=" + environment.get("SPRING_RABBITMQ_USERNAME"),
            "password=" + environment.get("SPRING_RABBITMQ_PASSWORD"));
    assertThat(workerSecret).startsWith("secret:");

    // Scale-down is slower than a worker's drain, so a burst does not start a wave of drains.
    var scaleDown = spec.advanced().horizontalPodAutoscalerConfig().behavior().getScaleDown();
    assertThat(scaleDown.getStabilizationWindowSeconds())
        .isGreaterThan(
            worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds().intValue());
  }

  @Test
  void prodRunsAThreeNodeRabbitmqClusterThatSurvivesADrain() {
    var rendered = Rendered.overlay("prod");
    var cluster = rendered.get(RabbitmqOperator.RabbitmqCluster.class, "rabbitmq");
    assertThat(cluster.spec().replicas()).isEqualTo(3);
    var podLabels = RabbitmqOperator.podLabels(cluster);
    assertThat(rendered.all(PodDisruptionBudget.class))
        .filteredOn(pdb -> Labels.matches(pdb.getSpec().getSelector(), podLabels))
        .singleElement()
        .satisfies(
            pdb -> assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1)));
    var antiAffinity =
        cluster
            .spec()
            .affinity()
            .getPodAntiAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution();
    assertThat(antiAffinity)
        .singleElement()
        .satisfies(
            term -> {
              assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(Labels.matches(term.getLabelSelector(), podLabels)).isTrue();
            });
    // The services connect to the operator's Service, with the operator's credentials.
    for (var app : APPS) {
      var environment =
          rendered.environment(
              Rendered.container(rendered.deployment(app).getSpec().getTemplate()));
      assertThat(environment.get("SPRING_RABBITMQ_HOST")).isEqualTo(cluster.metadata().getName());
      assertThat(environment.get("SPRING_RABBITMQ_USERNAME"))
          .isEqualTo("secret:" + RabbitmqOperator.defaultUserSecret(cluster) + "/username");
      assertThat(environment.get("SPRING_RABBITMQ_PASSWORD"))
          .isEqualTo("secret:" + RabbitmqOperator.defaultUserSecret(cluster) + "/password");
    }
  }

  @Test
  void prodMonitorsScrapeTheSameJobsAsCompose() {
    var rendered = Rendered.overlay("prod");
    var jobs = new HashSet<String>();

    var apiMonitor = rendered.get(PrometheusOperator.ServiceMonitor.class, API);
    var apiService = rendered.get(Service.class, API);
    assertThat(Labels.matches(apiMonitor.spec().selector(), apiService.getMetadata().getLabels()))
        .isTrue();
    var apiContainer = Rendered.container(rendered.deployment(API).getSpec().getTemplate());
    for (var endpoint : apiMonitor.spec().endpoints()) {
      var servicePort =
          apiService.getSpec().getPorts().stream()
              .filter(port -> port.getName().equals(endpoint.port()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("Service api-service has no port " + endpoint.port()));
      assertThat(resolve(apiContainer, servicePort.getTargetPort()))
          .isEqualTo(managementPort(rendered, apiContainer));
      assertThat(endpoint.path()).isEqualTo("/actuator/prometheus");
      jobs.addAll(jobReplacements(endpoint.relabelings()));
    }

    var workerMonitor = rendered.get(PrometheusOperator.PodMonitor.class, WORKER);
    var worker = rendered.deployment(WORKER).getSpec().getTemplate();
    assertThat(Labels.matches(workerMonitor.spec().selector(), worker.getMetadata().getLabels()))
        .isTrue();
    var workerContainer = Rendered.container(worker);
    for (var endpoint : workerMonitor.spec().podMetricsEndpoints()) {
      assertThat(containerPort(workerContainer, endpoint.port()))
          .isEqualTo(managementPort(rendered, workerContainer));
      assertThat(endpoint.path()).isEqualTo("/actuator/prometheus");
      jobs.addAll(jobReplacements(endpoint.relabelings()));
    }

    var cluster = rendered.get(RabbitmqOperator.RabbitmqCluster.class, "rabbitmq");
    var brokerMonitor = rendered.get(PrometheusOperator.ServiceMonitor.class, "rabbitmq");
    assertThat(Labels.matches(brokerMonitor.spec().selector(), RabbitmqOperator.podLabels(cluster)))
        .isTrue();
    assertThat(brokerMonitor.spec().endpoints())
        .extracting(PrometheusOperator.Endpoint::path)
        .containsExactlyInAnyOrder("/metrics", "/metrics/detailed");
    for (var endpoint : brokerMonitor.spec().endpoints()) {
      assertThat(endpoint.port()).isEqualTo("prometheus");
      if (endpoint.path().equals("/metrics/detailed")) {
        assertThat(endpoint.params().get("family"))
            .contains("queue_coarse_metrics", "queue_consumer_count");
      }
      jobs.addAll(jobReplacements(endpoint.relabelings()));
      // The RabbitMQ-Overview dashboard selects on rabbitmq_cluster and names nodes by
      // rabbitmq_node.
      var serviceLabel = "__meta_kubernetes_service_label_app_kubernetes_io_name";
      assertThat(endpoint.relabelings())
          .as("%s relabelings", endpoint.path())
          .anySatisfy(
              r -> {
                assertThat(r.targetLabel()).isEqualTo("rabbitmq_cluster");
                assertThat(r.sourceLabels()).containsExactly(serviceLabel);
              })
          .anySatisfy(
              r -> {
                assertThat(r.targetLabel()).isEqualTo("rabbitmq_node");
                assertThat(r.sourceLabels()).containsExactly("__meta_kubernetes_pod_name");
              });
      assertThat(cluster.metadata().getName())
          .as("the operator labels its Service app.kubernetes.io/name=<cluster name>")
          .isEqualTo(
              brokerMonitor.spec().selector().getMatchLabels().get("app.kubernetes.io/name"));
    }

    var composeJobs = new HashSet<String>();
    Yaml.file("observability/prometheus/prometheus.yml")
        .path("scrape_configs")
        .forEach(job -> composeJobs.add(job.path("job_name").asText()));
    composeJobs.remove("prometheus");
    assertThat(jobs).isEqualTo(composeJobs);
    assertThat(jobs).containsAll(PrometheusConfigTests.jobsUsedByRules());
  }

  private static Set<String> jobReplacements(List<PrometheusOperator.RelabelConfig> relabelings) {
    var jobs = new HashSet<String>();
    for (var relabeling :
        relabelings == null ? List.<PrometheusOperator.RelabelConfig>of() : relabelings) {
      if ("job".equals(relabeling.targetLabel())) {
        jobs.add(relabeling.replacement());
      }
    }
    assertThat(jobs).as("each scrape endpoint names its job").hasSize(1);
    return jobs;
  }
}
