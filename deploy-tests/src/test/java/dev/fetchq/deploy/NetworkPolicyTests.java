package dev.fetchq.deploy;

import static dev.fetchq.deploy.Manifests.API;
import static dev.fetchq.deploy.Manifests.WORKER;
import static dev.fetchq.deploy.Manifests.brokerPodLabels;
import static dev.fetchq.deploy.Manifests.containerPort;
import static dev.fetchq.deploy.Manifests.managementPort;
import static dev.fetchq.deploy.Manifests.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicies of every overlay: workers reach DNS, the broker and the internet but no
 * cluster-internal or private range; only Prometheus reaches the actuator ports.
 */
class NetworkPolicyTests {

  /** Ranges a worker must not reach: private, carrier-grade NAT, loopback, link-local. */
  private static final List<String> INTERNAL_V4 =
      List.of(
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.168.0.0/16");

  private static final List<String> INTERNAL_V6 = List.of("::1/128", "fc00::/7", "fe80::/10");

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void workersReachDnsTheBrokerAndTheInternetButNotTheCluster(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var worker = rendered.deployment(WORKER);
    var policy = policyFor(rendered, worker);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    var container = Rendered.container(worker.getSpec().getTemplate());
    var brokerPort = Integer.parseInt(rendered.environment(container).get("SPRING_RABBITMQ_PORT"));
    var brokerLabels = brokerPodLabels(rendered);

    var egress = policy.getSpec().getEgress();
    assertThat(egress)
        .allSatisfy(rule -> assertThat(rule.getTo()).as("egress open to all").isNotEmpty());
    assertThat(egress).anySatisfy(rule -> assertDns(rule.getTo(), rule.getPorts()));
    assertThat(egress)
        .anySatisfy(
            rule -> {
              assertThat(rule.getTo())
                  .singleElement()
                  .satisfies(
                      peer ->
                          assertThat(Labels.matches(peer.getPodSelector(), brokerLabels)).isTrue());
              assertThat(rule.getPorts())
                  .extracting(NetworkPolicyPort::getPort)
                  .containsExactly(new IntOrString(brokerPort));
            });
    var blocks =
        egress.stream()
            .flatMap(rule -> rule.getTo().stream())
            .map(NetworkPolicyPeer::getIpBlock)
            .filter(Objects::nonNull)
            .toList();
    assertThat(blocks)
        .extracting(block -> block.getCidr())
        .containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
    for (var block : blocks) {
      var internal = block.getCidr().contains(":") ? INTERNAL_V6 : INTERNAL_V4;
      assertThat(block.getExcept()).as("%s excludes", block.getCidr()).containsAll(internal);
    }
    // Every other peer is DNS or the broker, matched by labels, never a whole namespace.
    assertThat(egress.stream().flatMap(rule -> rule.getTo().stream()))
        .allSatisfy(
            peer ->
                assertThat(peer.getIpBlock() != null || peer.getPodSelector() != null).isTrue());

    assertOnlyPrometheusScrapes(policy, container);
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void theApiIsOpenAndItsActuatorOnlyToPrometheus(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var api = rendered.deployment(API);
    var policy = policyFor(rendered, api);
    var container = Rendered.container(api.getSpec().getTemplate());
    var open =
        policy.getSpec().getIngress().stream().filter(rule -> rule.getFrom().isEmpty()).toList();
    assertThat(open)
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(
                        port ->
                            assertThat(resolve(container, port.getPort()))
                                .isEqualTo(containerPort(container, "http"))));
    var scraped =
        policy.getSpec().getIngress().stream().filter(rule -> !rule.getFrom().isEmpty()).toList();
    assertThat(scraped)
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(NetworkPolicyTests::assertPrometheus);
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(
                      port ->
                          assertThat(resolve(container, port.getPort()))
                              .isEqualTo(managementPort(rendered, container)));
            });
  }

  private static NetworkPolicy policyFor(Rendered rendered, Deployment deployment) {
    var labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    var policies =
        rendered.all(NetworkPolicy.class).stream()
            .filter(policy -> Labels.matches(policy.getSpec().getPodSelector(), labels))
            .toList();
    assertThat(policies).as("NetworkPolicy of %s", deployment.getMetadata().getName()).hasSize(1);
    return policies.getFirst();
  }

  private static void assertDns(List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
    assertThat(to)
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .containsEntry("kubernetes.io/metadata.name", "kube-system");
              assertThat(peer.getPodSelector().getMatchLabels())
                  .containsEntry("k8s-app", "kube-dns");
            });
    assertThat(ports)
        .extracting(port -> port.getProtocol() + "/" + port.getPort().getIntVal())
        .containsExactlyInAnyOrder("UDP/53", "TCP/53");
  }

  private static void assertOnlyPrometheusScrapes(NetworkPolicy policy, Container container) {
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(NetworkPolicyTests::assertPrometheus);
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(
                      port ->
                          assertThat(resolve(container, port.getPort()))
                              .isEqualTo(containerPort(container, "management")));
            });
  }

  private static void assertPrometheus(NetworkPolicyPeer peer) {
    assertThat(Labels.isEmpty(peer.getNamespaceSelector())).as("any namespace").isTrue();
    assertThat(peer.getPodSelector().getMatchLabels())
        .containsExactlyEntriesOf(Map.of("app.kubernetes.io/name", "prometheus"));
  }
}
