package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.Failure;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.time.Instant;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Component;

/**
 * Puts a finished-for-good job into the dead-letter queue ourselves, rather than rejecting it into
 * the queue's DLX, so that it carries headers a person (and the admin API) can act on.
 */
@Component
class DeadLetterPublisher {

  private final ConfirmedPublisher publisher;

  DeadLetterPublisher(ConfirmedPublisher publisher) {
    this.publisher = publisher;
  }

  /** Publishes the dead letter and returns once the broker confirmed it. */
  void publish(JobDelivery delivery, Failure failure, String worker, Instant failedAt) {
    publisher.publish(
        Topology.DEAD_LETTER_EXCHANGE,
        Topology.DEAD_JOBS_ROUTING_KEY,
        deadLetter(delivery, failure, worker, failedAt));
  }

  /**
   * The original body and properties (see {@link JobRepublication}) with the failure explained in
   * headers.
   */
  static Message deadLetter(
      JobDelivery delivery, Failure failure, String worker, Instant failedAt) {
    var properties = JobRepublication.properties(delivery, delivery.attempt());
    properties.setHeader(Headers.FAILURE_REASON, failure.reason().name());
    if (failure.httpStatus() != null) {
      properties.setHeader(Headers.FAILURE_HTTP_STATUS, failure.httpStatus());
    }
    properties.setHeader(Headers.FAILURE_MESSAGE, failure.message());
    properties.setHeader(Headers.FAILURE_WORKER, worker);
    properties.setHeader(Headers.FAILED_AT, failedAt.toString());
    return JobRepublication.message(delivery, properties);
  }
}
