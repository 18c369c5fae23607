package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

class DeadLetterPublisherTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");
  private static final byte[] BODY =
      "{\"jobId\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"url\":\"http://h/x\"}"
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void theDeadLetterIsTheOriginalBodyWithHeadersThatExplainTheFailure() {
    var delivery = delivery(2, new MessageProperties());

    Message dead =
        DeadLetterPublisher.deadLetter(
            delivery, Failure.http(FailureReason.HTTP_CLIENT_ERROR, 404, "HTTP 404"), "w-1", AT);

    assertThat(dead.getBody()).isEqualTo(BODY);
    var properties = dead.getMessageProperties();
    assertThat(properties.getMessageId()).isEqualTo(JOB.toString());
    assertThat(properties.getContentType()).isEqualTo("application/json");
    assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(properties.getHeaders())
        .containsEntry(Headers.ATTEMPT, 2)
        .containsEntry(Headers.FAILURE_REASON, "HTTP_CLIENT_ERROR")
        .containsEntry(Headers.FAILURE_HTTP_STATUS, 404)
        .containsEntry(Headers.FAILURE_MESSAGE, "HTTP 404")
        .containsEntry(Headers.FAILURE_WORKER, "w-1")
        .containsEntry(Headers.FAILED_AT, "2026-11-27T10:15:30.123Z");
  }

  @Test
  void brokerDeathHeadersAndEarlierFailureHeadersAreDroppedOthersKept() {
    var original = new MessageProperties();
    original.setHeader("x-death", List.of(Map.of("count", 1L, "reason", "rejected")));
    original.setHeader("x-first-death-reason", "rejected");
    original.setHeader("x-first-death-queue", "fetchq.jobs.v1");
    original.setHeader("x-last-death-exchange", "fetchq.jobs");
    original.setHeader("x-delivery-count", 3);
    original.setHeader(Headers.FAILURE_HTTP_STATUS, 503);
    original.setHeader(Headers.ATTEMPT, 1);
    original.setHeader("traceparent", "00-abc-def-01");

    Message dead =
        DeadLetterPublisher.deadLetter(
            delivery(4, original), Failure.of(FailureReason.TIMEOUT, "Read timed out"), "w", AT);

    assertThat(dead.getMessageProperties().getHeaders())
        .doesNotContainKeys(
            "x-death",
            "x-first-death-reason",
            "x-first-death-queue",
            "x-last-death-exchange",
            "x-delivery-count",
            Headers.FAILURE_HTTP_STATUS)
        .containsEntry("traceparent", "00-abc-def-01")
        .containsEntry(Headers.ATTEMPT, 4)
        .containsEntry(Headers.FAILURE_REASON, "TIMEOUT");
  }

  private static JobDelivery delivery(int attempt, MessageProperties properties) {
    properties.setContentType("application/json");
    var job = new DownloadJob(JOB, "http://h/x", null);
    return new JobDelivery(job, attempt, 1, new Message(BODY, properties));
  }
}
