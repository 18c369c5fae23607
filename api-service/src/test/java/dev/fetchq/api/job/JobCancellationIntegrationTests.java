package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.ControlMessage;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * Cancelling jobs in every status: the job row, the cancel message every worker reads from the
 * control stream, and what late worker events do.
 */
class JobCancellationIntegrationTests extends ApiIntegrationTest {

  private static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");

  @Autowired CachingConnectionFactory connectionFactory;
  @Autowired MeterRegistry meters;

  @Test
  void aQueuedJobIsCancelledAndEveryWorkerIsToldOnTheControlStream() throws Exception {
    UUID id = submit("https://example.org/never.bin");
    double cancelledBefore = cancelledCount();

    MvcTestResult result = mvc.post().uri("/jobs/{id}/cancel", id).exchange();

    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    JsonNode cancelled = body(result);
    assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.get("finishedAt").isNull()).isFalse();
    assertThat(job(id).get("status").asString()).isEqualTo("CANCELLED");
    ControlMessage.CancelJob message = awaitCancelMessage(id);
    assertThat(message.at()).isEqualTo(Instant.parse(cancelled.get("finishedAt").asString()));
    assertThat(cancelledCount()).isEqualTo(cancelledBefore + 1);
  }

  @Test
  void aJobWaitingForItsRetryIsCancelledByDelete() throws Exception {
    UUID id = submit("https://example.org/flaky.bin");
    report(new JobEvent.Started(id, 1, "w-1", T0));
    report(
        new JobEvent.RetryScheduled(
            id,
            1,
            "w-1",
            T0.plusSeconds(1),
            Failure.http(FailureReason.HTTP_TRANSIENT, 503, "busy"),
            2,
            T0.plusSeconds(31)));
    awaitStatus(id, "RETRY_SCHEDULED");

    assertThat(mvc.delete().uri("/jobs/{id}", id)).hasStatus(HttpStatus.ACCEPTED);

    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(job.get("nextAttemptAt").isNull()).isTrue();
    awaitCancelMessage(id);
  }

  @Test
  void aRunningJobIsCancelledAndItsLateSuccessChangesNothing() throws Exception {
    UUID id = submit("https://example.org/running.bin");
    report(new JobEvent.Started(id, 1, "w-1", T0));
    awaitStatus(id, "RUNNING");

    assertThat(mvc.post().uri("/jobs/{id}/cancel", id)).hasStatus(HttpStatus.ACCEPTED);
    awaitCancelMessage(id);
    report(
        new JobEvent.Succeeded(
            id, 1, "w-1", T0.plusSeconds(5), T0, 10, "ab".repeat(32), null, "k"));
    report(new JobEvent.Started(id, 2, "w-2", T0.plusSeconds(6)));
    awaitEventsProjected();

    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(job.get("contentUrl").isNull()).isTrue();
    JsonNode history = job.get("attemptHistory");
    assertThat(history.size()).as("no attempt is added to a cancelled job").isEqualTo(1);
    assertThat(history.get(0).get("outcome").asString()).isEqualTo("CANCELLED");
    assertThat(history.get(0).get("bytes").asLong()).isEqualTo(10);
  }

  @Test
  void aFinishedJobCannotBeCancelled() {
    UUID id = submit("https://example.org/done.bin");
    report(new JobEvent.Succeeded(id, 1, "w-1", T0, T0, 1, "ab".repeat(32), null, "k"));
    awaitStatus(id, "SUCCEEDED");

    assertThat(mvc.post().uri("/jobs/{id}/cancel", id))
        .hasStatus(HttpStatus.CONFLICT)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(mvc.delete().uri("/jobs/{id}", id)).hasStatus(HttpStatus.CONFLICT);
    assertThat(job(id).get("status").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void anUnknownJobIs404() {
    assertThat(mvc.post().uri("/jobs/{id}/cancel", UUID.randomUUID()))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  private double cancelledCount() {
    return meters.get("fetchq.jobs.finished").tag("outcome", "cancelled").counter().count();
  }

  /** Reads the control stream from its start, as a worker does, until the job's cancel shows. */
  private ControlMessage.CancelJob awaitCancelMessage(UUID id) throws Exception {
    var cancels = new ConcurrentHashMap<UUID, ControlMessage.CancelJob>();
    // A connection of its own: a consumer left on a cached channel of the application's
    // connection factory would disturb the application.
    try (var connection = connectionFactory.getRabbitConnectionFactory().newConnection();
        Channel channel = connection.createChannel()) {
      channel.basicQos(100);
      channel.basicConsume(
          Topology.CONTROL_STREAM,
          false,
          Map.of("x-stream-offset", "first"),
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws java.io.IOException {
              if (json.readValue(body, ControlMessage.class)
                  instanceof ControlMessage.CancelJob cancel) {
                assertThat(properties.getMessageId()).isEqualTo(cancel.jobId().toString());
                cancels.put(cancel.jobId(), cancel);
              }
              getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> cancels.containsKey(id));
    }
    return cancels.get(id);
  }
}
