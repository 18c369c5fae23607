package dev.fetchq.worker.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.util.ErrorHandler;

/**
 * Decides, with the container, where a job message goes when the listener throws.
 *
 * <ul>
 *   <li>A message that cannot be converted to a job (poison) is rejected without requeue, so the
 *       queue's dead-letter exchange moves it to the dead-letter queue, once: conversion errors are
 *       fatal, never retried.
 *   <li>A {@link HandBackException} was logged by the listener, which chose how the message
 *       returns.
 *   <li>Anything else is a bug: logged with its stack trace and rejected into the dead-letter queue
 *       ({@code default-requeue-rejected=false}).
 * </ul>
 */
final class JobListenerErrorHandler implements ErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(JobListenerErrorHandler.class);

  private final WorkerMetrics metrics;
  private final PoisonDetector poison = new PoisonDetector();

  JobListenerErrorHandler(WorkerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handleError(Throwable error) {
    if (causedBy(error, HandBackException.class)) {
      return;
    }
    if (poison.isFatal(error)) {
      metrics.poison();
      // Must throw: a conversion error that reaches the container's loop unhandled counts as a
      // fatal listener error and stops the consumer. (The container logs this at ERROR.)
      throw new AmqpRejectAndDontRequeueException("job message cannot be read", error);
    }
    try (var _ = jobIdOf(error)) {
      log.error("Job listener failed; the message goes to the dead-letter queue", error);
    }
  }

  /** The failed message's id (a job message's id is its job's) in the MDC, while logging. */
  private static MDC.MDCCloseable jobIdOf(Throwable error) {
    if (error instanceof ListenerExecutionFailedException failed
        && failed.getFailedMessage() != null
        && failed.getFailedMessage().getMessageProperties().getMessageId() != null) {
      return MDC.putCloseable(
          "jobId", failed.getFailedMessage().getMessageProperties().getMessageId());
    }
    return null;
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Spring AMQP's definition of a fatal (conversion) error, with our own log line. */
  private static final class PoisonDetector
      extends ConditionalRejectingErrorHandler.DefaultExceptionStrategy {

    @Override
    protected void logFatalException(ListenerExecutionFailedException e, Throwable cause) {
      var properties = e.getFailedMessage().getMessageProperties();
      try (var _ = jobIdOf(e)) {
        log.warn(
            "Poison message {} (content type {}) rejected to the dead-letter queue: {}",
            properties.getMessageId(),
            properties.getContentType(),
            cause == null ? e.getMessage() : cause.getMessage());
      }
    }
  }
}
