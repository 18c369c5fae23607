package dev.fetchq.api.events;

import dev.fetchq.api.job.JobProjection;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Marks a job DEAD when the broker dead-lettered its message by itself. A worker that gives up on a
 * job reports a {@link JobEvent.Failed} and dead-letters the message with {@link
 * Headers#FAILURE_REASON}; but when every delivery of a message ended without an answer (workers
 * killed or stopped while holding it) the broker dead-letters it after {@link
 * Topology#DELIVERY_LIMIT} deliveries, and when a consumer rejected it the broker does so at once —
 * with no event from anyone. Without this, such a job would stay QUEUED or RUNNING forever, and
 * could not be replayed (replay takes DEAD jobs only).
 *
 * <p>Reads {@link Topology#DEAD_LETTER_NOTICES_QUEUE}, which receives a copy of every job dead
 * letter, and projects such a dead letter as the {@code Failed} event no worker sent: the job
 * becomes DEAD with an error saying what the broker did. Letters a worker explained, and unreadable
 * ones (no job to update; they stay listed in the dead-letter queue), are acknowledged and ignored.
 */
@Component
class DeadLetterNotices {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterNotices.class);

  private final JobProjection projection;
  private final JsonMapper json;
  private final Clock clock;
  private final DatabaseOutages outages;

  DeadLetterNotices(
      JobProjection projection, JsonMapper json, Clock clock, EventsProperties events) {
    this.projection = projection;
    this.json = json;
    this.clock = clock;
    this.outages = new DatabaseOutages(events.retry());
  }

  @RabbitListener(id = "fetchq-dead-letter-notices", queues = Topology.DEAD_LETTER_NOTICES_QUEUE)
  void on(Message message) {
    failedEventFor(message).ifPresent(event -> outages.waitOut(() -> projection.apply(event)));
  }

  /** The {@code Failed} event a broker-made dead letter stands for; empty for any other letter. */
  Optional<JobEvent.Failed> failedEventFor(Message message) {
    MessageProperties properties = message.getMessageProperties();
    if (properties.getHeaders().get(Headers.FAILURE_REASON) != null) {
      return Optional.empty(); // a worker's dead letter: its Failed event tells the job
    }
    UUID jobId = jobId(message);
    if (jobId == null) {
      return Optional.empty();
    }
    Map<String, ?> death = lastDeath(properties);
    String reason = death == null ? null : String.valueOf(death.get("reason"));
    String queue = death == null ? null : String.valueOf(death.get("queue"));
    Instant at =
        death != null && death.get("time") instanceof Date time
            ? time.toInstant()
            : clock.instant();
    String explanation =
        "delivery_limit".equals(reason)
            ? "RabbitMQ dead-lettered the job message after "
                + Topology.DELIVERY_LIMIT
                + " deliveries without an answer (queue "
                + queue
                + "): every worker that took it stopped or crashed before finishing"
            : "RabbitMQ dead-lettered the job message (reason "
                + reason
                + ", queue "
                + queue
                + ") without a worker's explanation";
    log.warn("Job {} is dead: {}", jobId, explanation);
    return Optional.of(
        new JobEvent.Failed(
            jobId, attempt(properties), null, at, Failure.of(FailureReason.UNKNOWN, explanation)));
  }

  private UUID jobId(Message message) {
    try {
      DownloadJob job = json.readValue(message.getBody(), DownloadJob.class);
      String messageId = message.getMessageProperties().getMessageId();
      if (job.jobId() == null || (messageId != null && !messageId.equals(job.jobId().toString()))) {
        return null;
      }
      return job.jobId();
    } catch (JacksonException | IllegalArgumentException e) {
      return null; // poison: listed by the dead-letter API, nothing to update
    }
  }

  private static Map<String, ?> lastDeath(MessageProperties properties) {
    List<Map<String, ?>> deaths = properties.getXDeathHeader();
    if (deaths == null) {
      Object header = properties.getHeaders().get("x-death");
      if (header instanceof List<?> list
          && !list.isEmpty()
          && list.getFirst() instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> first = (Map<String, ?>) m;
        return first;
      }
      return null;
    }
    return deaths.isEmpty() ? null : deaths.getFirst();
  }

  private static int attempt(MessageProperties properties) {
    Object value = properties.getHeaders().get(Headers.ATTEMPT);
    if (value instanceof Number n && n.intValue() >= 1) {
      return n.intValue();
    }
    try {
      int parsed = value == null ? 1 : Integer.parseInt(value.toString().strip());
      return Math.max(parsed, 1);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
