package dev.fetchq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.TestServices;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Publishing against the real broker: what counts as delivered, and what must not. */
@SpringBootTest(classes = ConfirmedPublisherIntegrationTests.App.class)
class ConfirmedPublisherIntegrationTests {

  @Configuration
  @EnableAutoConfiguration
  static class App {}

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    TestServices.rabbit().springProperties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @Autowired ConfirmedPublisher publisher;
  @Autowired RabbitTemplate template;
  @Autowired RabbitAdmin admin;
  @Autowired MessageConverter converter;

  @Test
  void aRoutedMessageIsDeliveredAndReadableAsTheContractType() {
    admin.purgeQueue(Topology.JOBS_QUEUE);
    var job = new DownloadJob(UUID.randomUUID(), "http://127.0.0.1/x", null);
    Message message = converter.toMessage(job, new MessageProperties());

    publisher.publish(Topology.JOBS_EXCHANGE, Topology.JOBS_ROUTING_KEY, message);

    Message received = template.receive(Topology.JOBS_QUEUE, 5_000);
    assertThat(received).isNotNull();
    assertThat(new String(received.getBody(), StandardCharsets.UTF_8))
        .contains(job.jobId().toString());
  }

  @Test
  void anUnroutableMessageIsNotDeliveredEvenThoughTheBrokerAcksIt() {
    Message message = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8)).build();

    var results =
        publisher.publishAll(
            List.of(
                new ConfirmedPublisher.Outgoing(Topology.JOBS_EXCHANGE, "no-such-key", message),
                new ConfirmedPublisher.Outgoing(
                    Topology.JOBS_EXCHANGE, Topology.JOBS_ROUTING_KEY, message)));

    assertThat(results.get(0).delivered()).isFalse();
    assertThat(results.get(0).failure()).contains("returned");
    assertThat(results.get(1).delivered()).isTrue();
    admin.purgeQueue(Topology.JOBS_QUEUE);
  }

  @Test
  void aMessageSentWithoutWaitingIsConfirmedLaterAndAnUnroutableOneIsNot() {
    admin.purgeQueue(Topology.JOBS_QUEUE);
    Message message = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8)).build();

    var routed = publisher.send(Topology.JOBS_EXCHANGE, Topology.JOBS_ROUTING_KEY, message);
    var unroutable = publisher.send(Topology.JOBS_EXCHANGE, "no-such-key", message);

    assertThat(routed.await().delivered()).isTrue();
    // Awaiting again gives the same answer.
    assertThat(routed.await().delivered()).isTrue();
    assertThat(unroutable.await().failure()).contains("returned");
    assertThatThrownBy(unroutable::awaitDelivered)
        .isInstanceOf(ConfirmedPublisher.PublishFailedException.class);
    assertThat(template.receive(Topology.JOBS_QUEUE, 5_000)).isNotNull();
    admin.purgeQueue(Topology.JOBS_QUEUE);
  }

  @Test
  void aMessagesOwnObservationIsInScopeForItsSendAndEndsWithItsConfirm() {
    var registry = ObservationRegistry.create();
    var seen = new ArrayList<String>();
    registry.observationConfig().observationHandler(new Recorder(seen));
    Message message = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8)).build();

    publisher.publishAll(
        List.of(
            new ConfirmedPublisher.Outgoing(
                Topology.JOBS_EXCHANGE,
                "no-such-key",
                message,
                Observation.createNotStarted("unroutable", registry)),
            new ConfirmedPublisher.Outgoing(
                Topology.JOBS_EXCHANGE,
                Topology.JOBS_ROUTING_KEY,
                message,
                Observation.createNotStarted("routed", registry))));

    assertThat(seen)
        .containsExactly(
            "start unroutable",
            "scope unroutable",
            "end scope unroutable",
            "start routed",
            "scope routed",
            "end scope routed",
            "error unroutable: returned as unroutable: 312 NO_ROUTE",
            "stop unroutable",
            "stop routed");
    admin.purgeQueue(Topology.JOBS_QUEUE);
  }

  @Test
  void publishingToAMissingExchangeFails() {
    Message message = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8)).build();

    assertThatThrownBy(() -> publisher.publish("fetchq.no-such-exchange", "x", message))
        .isInstanceOf(ConfirmedPublisher.PublishFailedException.class);
  }

  @Test
  void theWorkQueuesAreQuorumQueuesWithADeliveryLimitAndADeadLetterExchange() {
    var properties = admin.getQueueInfo(Topology.JOBS_QUEUE);
    assertThat(properties).isNotNull();
    for (Topology.Queue queue : Topology.QUEUES) {
      assertThat(admin.getQueueInfo(queue.name())).as(queue.name()).isNotNull();
    }
  }

  /** Writes down what happens to observations. */
  private record Recorder(List<String> seen) implements ObservationHandler<Observation.Context> {

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onStart(Observation.Context context) {
      seen.add("start " + context.getName());
    }

    @Override
    public void onScopeOpened(Observation.Context context) {
      seen.add("scope " + context.getName());
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
      seen.add("end scope " + context.getName());
    }

    @Override
    public void onError(Observation.Context context) {
      seen.add("error " + context.getName() + ": " + context.getError().getMessage());
    }

    @Override
    public void onStop(Observation.Context context) {
      seen.add("stop " + context.getName());
    }
  }
}
