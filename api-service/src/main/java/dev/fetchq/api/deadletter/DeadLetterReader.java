package dev.fetchq.api.deadletter;

import com.rabbitmq.client.AMQP;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a message of the dead-letter queue into a {@link DeadLetter}. Never fails: whatever cannot
 * be read shows as {@code null} fields or as a poison message with a body excerpt, because the
 * point of the listing is to show what is there.
 */
final class DeadLetterReader {

  static final int EXCERPT_LENGTH = 200;

  private final JsonMapper json;

  DeadLetterReader(JsonMapper json) {
    this.json = json;
  }

  DeadLetter read(AMQP.BasicProperties properties, byte[] body) {
    Map<String, Object> headers =
        properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    DownloadJob job = job(properties, body);
    String messageId = properties.getMessageId();
    if (job != null && messageId != null && !messageId.equals(job.jobId().toString())) {
      job = null; // a body about another job than the message says: not something to replay
    }
    String jobId = messageId != null ? messageId : job != null ? job.jobId().toString() : null;
    Map<?, ?> death = lastDeath(headers);
    String reasonHeader = string(headers.get(Headers.FAILURE_REASON));
    FailureReason reason =
        reasonHeader != null
            ? reason(reasonHeader)
            : job == null ? FailureReason.POISON : FailureReason.UNKNOWN;
    return new DeadLetter(
        jobId,
        job == null ? null : job.url(),
        job == null ? null : host(job.url()),
        reason,
        integer(headers.get(Headers.FAILURE_HTTP_STATUS)),
        string(headers.get(Headers.FAILURE_MESSAGE)),
        integer(headers.get(Headers.ATTEMPT)),
        string(headers.get(Headers.FAILURE_WORKER)),
        failedAt(headers, death),
        reasonHeader == null && death != null ? string(death.get("reason")) : null,
        reasonHeader == null && death != null ? string(death.get("queue")) : null,
        number(headers.get("x-delivery-count")),
        job == null ? excerpt(body) : null,
        null);
  }

  /**
   * The body as a job, read the way a worker reads it: JSON content type and a complete {@link
   * DownloadJob}; otherwise {@code null}.
   */
  private DownloadJob job(AMQP.BasicProperties properties, byte[] body) {
    String contentType = properties.getContentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
      return null;
    }
    try {
      return json.readValue(body, DownloadJob.class);
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The broker's latest dead-lettering: {@code x-death} lists the most recent first. */
  private static Map<?, ?> lastDeath(Map<String, Object> headers) {
    if (headers.get("x-death") instanceof List<?> deaths
        && !deaths.isEmpty()
        && deaths.getFirst() instanceof Map<?, ?> death) {
      return death;
    }
    return null;
  }

  private static Instant failedAt(Map<String, Object> headers, Map<?, ?> death) {
    String failedAt = string(headers.get(Headers.FAILED_AT));
    if (failedAt != null) {
      try {
        return Instant.parse(failedAt);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return death != null && death.get("time") instanceof Date time ? time.toInstant() : null;
  }

  private static FailureReason reason(String name) {
    try {
      return FailureReason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return FailureReason.UNKNOWN; // a class added by a newer worker
    }
  }

  static String host(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String excerpt(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(body, 0, Math.min(body.length, EXCERPT_LENGTH * 4)))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH);
  }

  /** AMQP strings arrive as {@code LongString}; numbers may arrive as strings from some clients. */
  private static String string(Object value) {
    return value == null ? null : value.toString();
  }

  private static Integer integer(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return value == null ? null : Integer.valueOf(value.toString().strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
