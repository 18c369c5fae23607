package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The broker settings fetchq ships are the same wherever the broker runs: compose, the operator's
 * cluster (prod) and the single-node broker (dev).
 */
class BrokerSettingsTests {

  /** The longest download the worker allows (fetchq.worker.max-duration). */
  private static final Duration LONGEST_DOWNLOAD = Duration.ofHours(1);

  private static final Pattern CONSUMER_TIMEOUT =
      Pattern.compile("(?m)^\\s*consumer_timeout\\s*=\\s*(\\d+)\\s*$");

  @Test
  void theAckTimeoutOutlastsTheLongestDownload() {
    var composeTimeout = consumerTimeout(Repository.read("deploy/rabbitmq/rabbitmq.conf"));
    assertThat(composeTimeout).isGreaterThan(LONGEST_DOWNLOAD);
  }

  @Test
  void everyBrokerGetsTheSameAckTimeout() {
    var composeTimeout = consumerTimeout(Repository.read("deploy/rabbitmq/rabbitmq.conf"));

    var cluster = Rendered.overlay("prod").get(RabbitmqOperator.RabbitmqCluster.class, "rabbitmq");
    assertThat(consumerTimeout(cluster.spec().rabbitmq().additionalConfig()))
        .isEqualTo(composeTimeout);

    var dev = Rendered.overlay("dev");
    var devConfig = dev.generated(ConfigMap.class, "rabbitmq-config");
    assertThat(consumerTimeout(devConfig.getData().get("rabbitmq.conf"))).isEqualTo(composeTimeout);
    assertThat(devConfig.getData().get("enabled_plugins"))
        .isEqualTo(Repository.read("deploy/rabbitmq/enabled_plugins"));
  }

  @Test
  void everyBrokerRunsTheSameImage() {
    var composeImage = Compose.service("rabbitmq").path("image").asText();
    var cluster = Rendered.overlay("prod").get(RabbitmqOperator.RabbitmqCluster.class, "rabbitmq");
    assertThat(cluster.spec().image()).isEqualTo(composeImage);
    var devBroker = Rendered.overlay("dev").get(StatefulSet.class, "rabbitmq");
    assertThat(Rendered.container(devBroker.getSpec().getTemplate()).getImage())
        .isEqualTo(composeImage);
  }

  private static Duration consumerTimeout(String config) {
    var matcher = CONSUMER_TIMEOUT.matcher(config);
    assertThat(matcher.find()).as("consumer_timeout is set in:%n%s", config).isTrue();
    return Duration.ofMillis(Long.parseLong(matcher.group(1)));
  }
}
