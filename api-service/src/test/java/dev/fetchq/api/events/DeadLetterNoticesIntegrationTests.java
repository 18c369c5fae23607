package dev.fetchq.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.RabbitEndpoint;
import dev.fetchq.testsupport.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * A job whose message the broker dead-letters by itself — every worker that took it died holding
 * it, until the queue's delivery limit — becomes DEAD with an explanation, and can be replayed.
 */
class DeadLetterNoticesIntegrationTests extends ApiIntegrationTest {

  @Autowired RabbitAdmin admin;

  @Test
  void aJobTheBrokerDeadLettersAtItsDeliveryLimitBecomesDeadAndCanBeReplayed() throws Exception {
    admin.purgeQueue(Topology.JOBS_QUEUE);
    admin.purgeQueue(Topology.DEAD_LETTER_QUEUE);
    UUID id = submit("https://example.org/crashes-every-worker.bin");
    awaitJobMessage();
    report(new JobEvent.Started(id, 1, "worker-1", Instant.now()));
    awaitStatus(id, "RUNNING");

    // Each delivery ends with the consumer's connection gone and no answer, like a worker killed
    // while holding the job, until the broker dead-letters it.
    int deliveries = 0;
    while (deliverAndDie()) {
      deliveries++;
      assertThat(deliveries).as("deliveries before the broker gives up").isLessThanOrEqualTo(20);
    }

    JsonNode job = awaitStatus(id, "DEAD");
    assertThat(deliveries).isGreaterThanOrEqualTo(Topology.DELIVERY_LIMIT);
    assertThat(job.get("lastError").get("reason").asString()).isEqualTo("UNKNOWN");
    assertThat(job.get("lastError").get("message").asString())
        .contains("dead-lettered the job message after " + Topology.DELIVERY_LIMIT + " deliveries")
        .contains(Topology.JOBS_QUEUE);
    assertThat(job.get("finishedAt").isNull()).isFalse();

    MvcTestResult replayed =
        asAdmin(
                mvc.post()
                    .uri("/dead-letters/replay")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"jobIds\":[\"%s\"]}".formatted(id)))
            .exchange();
    assertThat(replayed).hasStatus(HttpStatus.OK);
    assertThat(body(replayed).get("results").get(0).get("outcome").asString())
        .isEqualTo("REPLAYED");
    assertThat(job(id).get("status").asString()).isEqualTo("QUEUED");
  }

  private void awaitJobMessage() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.getQueueInfo(Topology.JOBS_QUEUE).getMessageCount() == 1);
  }

  /**
   * Takes the job message on a connection of its own and closes that connection without an answer.
   * False when there was no message left to take.
   */
  private static boolean deliverAndDie() throws Exception {
    RabbitEndpoint endpoint = TestServices.rabbit();
    var factory = new ConnectionFactory();
    factory.setHost(endpoint.host());
    factory.setPort(endpoint.port());
    factory.setUsername(endpoint.username());
    factory.setPassword(endpoint.password());
    factory.setVirtualHost(endpoint.virtualHost());
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    try (var connection = factory.newConnection()) {
      var channel = connection.createChannel();
      while (System.nanoTime() < deadline) {
        GetResponse response = channel.basicGet(Topology.JOBS_QUEUE, false);
        if (response != null) {
          return true;
        }
        Thread.sleep(50);
      }
      return false;
    }
  }
}
