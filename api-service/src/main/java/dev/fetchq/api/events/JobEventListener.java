package dev.fetchq.api.events;

import dev.fetchq.api.job.JobProjection;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Feeds worker events from {@link Topology#EVENTS_QUEUE} to the {@link JobProjection}. The message
 * is acked once the projection committed.
 *
 * <p>Nothing is requeued ({@code default-requeue-rejected=false}): an event that cannot be read or
 * is malformed, or whose projection fails, is rejected and dead-letters to {@link
 * Topology#DEAD_EVENTS_QUEUE}. Only an unreachable database is waited out, with backoff.
 */
@EnableConfigurationProperties(EventsProperties.class)
@Component
class JobEventListener {

  private final JobProjection projection;
  private final RetryTemplate retry;

  JobEventListener(JobProjection projection, EventsProperties properties) {
    this.projection = projection;
    EventsProperties.Retry settings = properties.retry();
    this.retry =
        new RetryTemplate(
            RetryPolicy.builder()
                .includes(
                    DataAccessResourceFailureException.class,
                    TransientDataAccessException.class,
                    CannotCreateTransactionException.class)
                .maxRetries(Long.MAX_VALUE)
                .delay(settings.initialDelay())
                .multiplier(2)
                .maxDelay(settings.maxDelay())
                .timeout(settings.timeout())
                .build());
  }

  @RabbitListener(id = "fetchq-job-events", queues = Topology.EVENTS_QUEUE)
  void on(JobEvent event) {
    if (event.jobId() == null || event.attempt() < 1 || event.at() == null) {
      throw new AmqpRejectAndDontRequeueException(
          "Malformed event (needs jobId, attempt >= 1 and at): " + event);
    }
    try {
      retry.execute(
          () -> {
            projection.apply(event);
            return null;
          });
    } catch (RetryException e) {
      throw e.getLastException() instanceof RuntimeException last
          ? last
          : new IllegalStateException(e.getLastException());
    }
  }
}
