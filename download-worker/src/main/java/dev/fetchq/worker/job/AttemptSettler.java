package dev.fetchq.worker.job;

import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.download.Downloader;
import dev.fetchq.worker.events.JobEventPublisher;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes an attempt's outcome known, every publish confirmed: only when this returns may the job
 * message be acknowledged.
 */
@Component
class AttemptSettler {

  private static final Logger log = LoggerFactory.getLogger(AttemptSettler.class);

  private final JobEventPublisher events;
  private final DeadLetterPublisher deadLetters;
  private final RetryPublisher retries;
  private final FailurePolicy policy;
  private final WorkerMetrics metrics;
  private final Downloader downloader;
  private final String worker;
  private final Clock clock;

  AttemptSettler(
      JobEventPublisher events,
      DeadLetterPublisher deadLetters,
      RetryPublisher retries,
      FailurePolicy policy,
      WorkerMetrics metrics,
      Downloader downloader,
      WorkerProperties properties,
      Clock clock) {
    this.events = events;
    this.deadLetters = deadLetters;
    this.retries = retries;
    this.policy = policy;
    this.metrics = metrics;
    this.downloader = downloader;
    this.worker = properties.id();
    this.clock = clock;
  }

  /**
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when the broker did not
   *     confirm what had to be published
   */
  Disposition settle(JobDelivery delivery, AttemptOutcome outcome) {
    try (var _ = outcome.announcement()) {
      return switch (outcome) {
        case AttemptOutcome.Succeeded succeeded -> succeed(delivery, succeeded);
        case AttemptOutcome.Failed failed -> fail(delivery, failed);
        case AttemptOutcome.Cancelled _ -> cancelled(delivery);
      };
    }
  }

  private Disposition cancelled(JobDelivery delivery) {
    // The api-service moved the job to CANCELLED when it published the cancellation: nothing to
    // report (not even a Started already sent), and the message is simply acknowledged.
    log.info(
        "Job {} attempt {} stopped: cancelled; partial file removed",
        delivery.jobId(),
        delivery.attempt());
    return Disposition.CANCELLED;
  }

  /**
   * Puts back a delivery whose job another delivery is downloading right now: into a retry tier as
   * the same attempt (it made none), without events.
   *
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when the broker did not
   *     confirm it
   */
  Disposition defer(JobDelivery delivery, String why) {
    var retry = policy.deferral(delivery);
    retries.publish(delivery, retry);
    log.info(
        "Job {} attempt {} deferred for {} ms: {}",
        delivery.jobId(),
        delivery.attempt(),
        retry.delay().toMillis(),
        why);
    return Disposition.REQUEUED;
  }

  /**
   * One confirm round trip for a short attempt: its Started was not sent (the Succeeded implies
   * it), or was sent while it downloaded and is confirmed by now.
   */
  private Disposition succeed(JobDelivery delivery, AttemptOutcome.Succeeded outcome) {
    var result = outcome.result();
    outcome.announcement().confirmIfSent();
    events.publish(
        new JobEvent.Succeeded(
            delivery.jobId(),
            delivery.attempt(),
            worker,
            clock.instant(),
            outcome.startedAt(),
            result.bytes(),
            result.sha256(),
            result.contentType(),
            result.storageKey()));
    metrics.stored(result.bytes());
    // DEBUG: one line per job at thousands of jobs per second costs more than it tells; the
    // api-service logs the job's state change, and metrics count the outcomes.
    log.debug(
        "Job {} attempt {} succeeded: {} bytes stored as {}{}",
        delivery.jobId(),
        delivery.attempt(),
        result.bytes(),
        result.storageKey(),
        result.resumedFrom() > 0 ? " (resumed at byte " + result.resumedFrom() + ")" : "");
    return Disposition.SUCCEEDED;
  }

  private Disposition fail(JobDelivery delivery, AttemptOutcome.Failed outcome) {
    var failure = outcome.failure();
    // A failed attempt is always announced, before its failure: its history shows when it began.
    outcome.announcement().confirm();
    metrics.failed(failure.reason());
    return switch (policy.decide(failure, outcome.retryAfter(), delivery)) {
      case FailureDecision.Retry retry -> {
        Instant at = clock.instant();
        Instant nextAttemptAt = at.plus(retry.delay());
        // The retry first: once RetryScheduled is out, the job must really be waiting somewhere.
        retries.publish(delivery, retry);
        metrics.retried(failure.reason());
        events.publish(
            new JobEvent.RetryScheduled(
                delivery.jobId(),
                delivery.attempt(),
                worker,
                at,
                failure,
                retry.nextAttempt(),
                nextAttemptAt));
        log.info(
            "Job {} attempt {} failed ({}: {}); attempt {} in {} ms",
            delivery.jobId(),
            delivery.attempt(),
            failure.reason(),
            failure.message(),
            retry.nextAttempt(),
            retry.delay().toMillis());
        yield Disposition.RETRIED;
      }
      case FailureDecision.DeadLetter deadLetter -> {
        Instant at = clock.instant();
        // Dead letter first: once Failed is out, the job must be findable in the dead-letter queue.
        deadLetters.publish(delivery, failure, worker, at);
        metrics.deadLettered(failure.reason());
        // A transient failure's last attempt kept its partial file for a retry that will not come.
        downloader.discardPartial(delivery.jobId());
        events.publish(
            new JobEvent.Failed(delivery.jobId(), delivery.attempt(), worker, at, failure));
        log.warn(
            "Job {} attempt {} dead-lettered ({}): {} {}",
            delivery.jobId(),
            delivery.attempt(),
            deadLetter.why(),
            failure.reason(),
            failure.message());
        yield Disposition.DEAD_LETTERED;
      }
    };
  }
}
