package dev.fetchq.deploy;

import static dev.fetchq.deploy.Manifests.APPS;
import static dev.fetchq.deploy.Manifests.WORKER;
import static dev.fetchq.deploy.Manifests.amount;
import static dev.fetchq.deploy.Manifests.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

/** The dev overlay: everything in one namespace on a one-node cluster, no operator needed. */
class DevOverlayTests {

  @Test
  void devKeepsAFixedWorkerCount() {
    assertThat(Rendered.overlay("dev").deployment(WORKER).getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void devRunsASingleNodeBrokerAndNeedsNoOperator() {
    var rendered = Rendered.overlay("dev");
    assertThat(rendered.objects()).noneMatch(CustomResource.class::isInstance);
    var broker = rendered.get(StatefulSet.class, "rabbitmq");
    assertThat(broker.getSpec().getReplicas()).isEqualTo(1);
    var service = rendered.get(Service.class, "rabbitmq");
    var serviceSelector =
        new LabelSelectorBuilder().withMatchLabels(service.getSpec().getSelector()).build();
    assertThat(
            Labels.matches(
                serviceSelector, broker.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
    var container = Rendered.container(broker.getSpec().getTemplate());
    assertThat(service.getSpec().getPorts())
        .extracting(port -> port.getName() + "=" + resolve(container, port.getTargetPort()))
        .containsExactlyInAnyOrder("amqp=5672", "management=15672", "prometheus=15692");
    assertThat(rendered.generated(Secret.class, "rabbitmq-default-user").getData())
        .containsKeys("username", "password");
    for (var app : APPS) {
      var deployment = rendered.deployment(app);
      assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
      var limit =
          Rendered.container(deployment.getSpec().getTemplate())
              .getResources()
              .getLimits()
              .get("memory");
      assertThat(amount(limit))
          .as("%s memory in dev", app)
          .isLessThanOrEqualTo(amount(new Quantity("1Gi")));
    }
  }
}
