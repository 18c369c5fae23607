package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

class RetryPublisherTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final byte[] BODY =
      "{\"jobId\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"url\":\"http://h/x\"}"
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void theRetryIsTheOriginalBodyAsTheNextAttemptExpiringAfterTheDelay() {
    var original = new MessageProperties();
    original.setContentType("application/json");
    original.setCorrelationId("corr-1");
    original.setTimestamp(new Date(1_000));
    original.setHeader(Headers.ATTEMPT, 2);
    original.setHeader(Headers.BUDGET_START, 2);
    original.setHeader("traceparent", "00-abc-def-01");

    Message retry =
        RetryPublisher.retryMessage(
            delivery(original),
            new FailureDecision.Retry(Duration.ofSeconds(30), Duration.ofMillis(28_500), 3));

    assertThat(retry.getBody()).isEqualTo(BODY);
    var properties = retry.getMessageProperties();
    assertThat(properties.getMessageId()).isEqualTo(JOB.toString());
    assertThat(properties.getContentType()).isEqualTo("application/json");
    assertThat(properties.getCorrelationId()).isEqualTo("corr-1");
    assertThat(properties.getTimestamp()).isEqualTo(new Date(1_000));
    assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(properties.getExpiration()).isEqualTo("28500");
    assertThat(properties.getHeaders())
        .containsEntry(Headers.ATTEMPT, 3)
        .containsEntry(Headers.BUDGET_START, 2)
        .containsEntry("traceparent", "00-abc-def-01");
  }

  @Test
  void brokerDeathHeadersAndFailureHeadersOfAReplayedDeadLetterAreDropped() {
    var original = new MessageProperties();
    original.setHeader("x-death", List.of(Map.of("count", 1L, "reason", "expired")));
    original.setHeader("x-first-death-reason", "expired");
    original.setHeader("x-first-death-queue", "fetchq.retry.1s.v1");
    original.setHeader("x-last-death-reason", "expired");
    original.setHeader("x-last-death-exchange", "fetchq.retry");
    original.setHeader("x-delivery-count", 1);
    original.setHeader(Headers.FAILURE_REASON, "TIMEOUT");
    original.setHeader(Headers.FAILURE_HTTP_STATUS, 503);
    original.setHeader(Headers.FAILURE_MESSAGE, "Read timed out");
    original.setHeader(Headers.FAILURE_WORKER, "w-0");
    original.setHeader(Headers.FAILED_AT, "2026-11-27T10:00:00Z");

    Message retry =
        RetryPublisher.retryMessage(
            delivery(original),
            new FailureDecision.Retry(Duration.ofSeconds(5), Duration.ofSeconds(5), 3));

    assertThat(retry.getMessageProperties().getHeaders())
        .containsOnlyKeys(Headers.ATTEMPT)
        .containsEntry(Headers.ATTEMPT, 3);
  }

  private static JobDelivery delivery(MessageProperties properties) {
    return JobDelivery.of(new DownloadJob(JOB, "http://h/x", null), new Message(BODY, properties));
  }
}
