package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.Topology;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Component;

/**
 * Parks a transiently failed job in the wait queue of its retry tier; when the tier's TTL (or the
 * message's shorter, jittered expiration) runs out, the broker dead-letters it back to the work
 * exchange as the next attempt. No consumer thread waits meanwhile.
 */
@Component
class RetryPublisher {

  private final ConfirmedPublisher publisher;

  RetryPublisher(ConfirmedPublisher publisher) {
    this.publisher = publisher;
  }

  /** Publishes the retry and returns once the broker confirmed it. */
  void publish(JobDelivery delivery, FailureDecision.Retry retry) {
    publisher.publish(
        Topology.RETRY_EXCHANGE,
        Topology.retryQueue(retry.tier()).name(),
        retryMessage(delivery, retry));
  }

  /**
   * The original body and properties (see {@link JobRepublication}) as attempt {@code nextAttempt},
   * expiring after the decided wait. The broker removes the expiration when it dead-letters the
   * message, so it does not expire again in the work queue.
   */
  static Message retryMessage(JobDelivery delivery, FailureDecision.Retry retry) {
    var properties = JobRepublication.properties(delivery, retry.nextAttempt());
    properties.setExpiration(Long.toString(retry.delay().toMillis()));
    return JobRepublication.message(delivery, properties);
  }
}
