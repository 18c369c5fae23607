package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

class PoisonMessageIntegrationTests extends WorkerIntegrationTestSupport {

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|",
        "not json|application/json",
        "{\"url\":\"http://127.0.0.1/x\"}|application/json",
        "[1,2,3]|application/json",
      })
  void anUnreadableJobGoesToTheDeadLetterQueueOnceAndIsNotRedelivered(
      String body, String contentType) {
    double poisonBefore = jobsCount("poison");
    String messageId = UUID.randomUUID().toString();
    var builder =
        MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8)).setMessageId(messageId);
    if (contentType != null) {
      builder.setContentType(contentType);
    }

    publisher.publish(Topology.JOBS_EXCHANGE, Topology.JOBS_ROUTING_KEY, builder.build());

    Message dead = rabbit.receive(Topology.DEAD_LETTER_QUEUE, TIMEOUT.toMillis());
    assertThat(dead).isNotNull();
    assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(messageId);
    assertThat(dead.getBody()).asString(StandardCharsets.UTF_8).isEqualTo(body);
    // Dead-lettered by the broker (reject without requeue), exactly once.
    List<Map<String, ?>> deaths = dead.getMessageProperties().getXDeathHeader();
    assertThat(deaths).hasSize(1);
    Map<String, Object> death = Map.copyOf(deaths.getFirst());
    assertThat(death)
        .containsEntry("reason", "rejected")
        .containsEntry("queue", Topology.JOBS_QUEUE)
        .containsEntry("count", 1L);
    await().atMost(TIMEOUT).until(() -> jobsCount("poison") == poisonBefore + 1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(TIMEOUT)
        .until(
            () -> queueDepth(Topology.JOBS_QUEUE) == 0 && queueDepth(Topology.EVENTS_QUEUE) == 0);
    assertThat(jobsCount("poison")).isEqualTo(poisonBefore + 1);
  }
}
