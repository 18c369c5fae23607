package dev.fetchq.worker.job;

import org.springframework.amqp.ImmediateRequeueAmqpException;

/**
 * The listener gives the job message back to the broker unfinished, to be delivered again: never
 * into the dead-letter queue, whatever {@code default-requeue-rejected} says.
 */
final class HandBackException extends ImmediateRequeueAmqpException {

  HandBackException(String message, Throwable cause) {
    super(message, cause);
  }
}
