package dev.fetchq.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the listing shows for each kind of message in the dead-letter queue. */
class DeadLetterReaderTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final String BODY =
      "{\"jobId\":\"" + JOB + "\",\"url\":\"https://Files.Example.org:8443/a.bin\"}";
  private static final Instant FAILED = Instant.parse("2026-02-01T10:00:00Z");

  private final DeadLetterReader reader = new DeadLetterReader(JsonMapper.builder().build());

  @Test
  void aJobTheWorkerDeadLetteredShowsWhyFromItsHeaders() {
    var headers = new HashMap<String, Object>();
    headers.put(Headers.ATTEMPT, 3);
    headers.put(Headers.FAILURE_REASON, LongStringHelper.asLongString("HTTP_CLIENT_ERROR"));
    headers.put(Headers.FAILURE_HTTP_STATUS, 404);
    headers.put(Headers.FAILURE_MESSAGE, LongStringHelper.asLongString("Not Found"));
    headers.put(Headers.FAILURE_WORKER, LongStringHelper.asLongString("w-1"));
    headers.put(Headers.FAILED_AT, LongStringHelper.asLongString(FAILED.toString()));
    headers.put("x-delivery-count", 7L);

    DeadLetter letter = reader.read(json(JOB.toString(), headers), bytes(BODY));

    assertThat(letter.jobId()).isEqualTo(JOB.toString());
    assertThat(letter.job()).isEqualTo(JOB);
    assertThat(letter.url()).isEqualTo("https://Files.Example.org:8443/a.bin");
    assertThat(letter.host()).isEqualTo("files.example.org");
    assertThat(letter.reason()).isEqualTo(FailureReason.HTTP_CLIENT_ERROR);
    assertThat(letter.httpStatus()).isEqualTo(404);
    assertThat(letter.message()).isEqualTo("Not Found");
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.worker()).isEqualTo("w-1");
    assertThat(letter.failedAt()).isEqualTo(FAILED);
    assertThat(letter.deliveryCount()).isEqualTo(7);
    assertThat(letter.deathReason()).isNull();
    assertThat(letter.bodyExcerpt()).isNull();
    assertThat(letter.poison()).isFalse();
  }

  @Test
  void anUnreadableMessageTheBrokerDeadLetteredIsPoisonWithAnExcerpt() {
    var headers = new HashMap<String, Object>();
    headers.put("x-death", List.of(death("rejected", "fetchq.jobs.v1")));

    DeadLetter letter = reader.read(json("poison-1", headers), bytes("{oops" + "x".repeat(500)));

    assertThat(letter.reason()).isEqualTo(FailureReason.POISON);
    assertThat(letter.poison()).isTrue();
    assertThat(letter.jobId()).isEqualTo("poison-1");
    assertThat(letter.url()).isNull();
    assertThat(letter.deathReason()).isEqualTo("rejected");
    assertThat(letter.deathQueue()).isEqualTo("fetchq.jobs.v1");
    assertThat(letter.failedAt()).isEqualTo(FAILED);
    assertThat(letter.bodyExcerpt()).startsWith("{oops").hasSize(DeadLetterReader.EXCERPT_LENGTH);
  }

  @Test
  void aReadableJobTheBrokerGaveUpOnIsUnknownNotPoison() {
    var headers = new HashMap<String, Object>();
    headers.put(Headers.ATTEMPT, 1);
    headers.put(
        "x-death",
        List.of(death("delivery_limit", "fetchq.jobs.v1"), death("expired", "fetchq.retry.5s")));

    DeadLetter letter = reader.read(json(JOB.toString(), headers), bytes(BODY));

    assertThat(letter.reason()).isEqualTo(FailureReason.UNKNOWN);
    assertThat(letter.poison()).isFalse();
    assertThat(letter.deathReason()).isEqualTo("delivery_limit");
    assertThat(letter.attempts()).isEqualTo(1);
  }

  @Test
  void aBodyThatIsNotJsonOrNotAJobOrAboutAnotherJobIsPoison() {
    var text = new AMQP.BasicProperties.Builder().messageId(JOB.toString()).build();
    var other = UUID.randomUUID().toString();

    assertThat(reader.read(text, bytes(BODY)).poison()).isTrue();
    assertThat(reader.read(json(JOB.toString(), Map.of()), bytes("{\"url\":\"x\"}")).poison())
        .isTrue();
    assertThat(reader.read(json(other, Map.of()), bytes(BODY)).poison()).isTrue();
    assertThat(reader.read(json(null, Map.of()), new byte[] {(byte) 0xff, 0}).bodyExcerpt())
        .isNotNull();
  }

  @Test
  void aFailureClassOfANewerWorkerReadsAsUnknown() {
    var headers = Map.<String, Object>of(Headers.FAILURE_REASON, "QUANTUM_FLUX");

    assertThat(reader.read(json(JOB.toString(), headers), bytes(BODY)).reason())
        .isEqualTo(FailureReason.UNKNOWN);
  }

  @Test
  void filtersMatchReasonHostAndTime() {
    var headers = new HashMap<String, Object>();
    headers.put(Headers.FAILURE_REASON, "TIMEOUT");
    headers.put(Headers.FAILED_AT, FAILED.toString());
    DeadLetter letter = reader.read(json(JOB.toString(), headers), bytes(BODY));

    assertThat(DeadLetterFilter.ALL.matches(letter)).isTrue();
    assertThat(
            new DeadLetterFilter(FailureReason.TIMEOUT, " FILES.example.org ", FAILED)
                .matches(letter))
        .isTrue();
    assertThat(new DeadLetterFilter(FailureReason.DNS, null, null).matches(letter)).isFalse();
    assertThat(new DeadLetterFilter(null, "example.org", null).matches(letter)).isFalse();
    assertThat(new DeadLetterFilter(null, null, FAILED.plusSeconds(1)).matches(letter)).isFalse();
  }

  private static Map<String, Object> death(String reason, String queue) {
    return Map.of(
        "reason", LongStringHelper.asLongString(reason),
        "queue", LongStringHelper.asLongString(queue),
        "time", Date.from(FAILED),
        "count", 1L);
  }

  private static AMQP.BasicProperties json(String messageId, Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder()
        .messageId(messageId)
        .contentType("application/json")
        .headers(headers)
        .build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
