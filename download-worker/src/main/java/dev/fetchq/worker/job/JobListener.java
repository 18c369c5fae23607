package dev.fetchq.worker.job;

import com.rabbitmq.client.Channel;
import dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Topology;
import dev.fetchq.worker.cancel.CancellationProperties;
import dev.fetchq.worker.cancel.CancellationRegistry;
import dev.fetchq.worker.cancel.ControlStream;
import dev.fetchq.worker.download.DownloadInterruptedException;
import dev.fetchq.worker.download.JobBusyException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

/**
 * Consumes job messages. The container acknowledges a message when this listener returns, which it
 * does only after the attempt's outcome is confirmed by the broker; see {@link
 * #handBackUnconfirmed} for what happens when it cannot be.
 */
@Component
class JobListener {

  /** The listener container's id. */
  static final String ID = "fetchq.jobs";

  private static final Logger log = LoggerFactory.getLogger(JobListener.class);

  private final DownloadAttempt attempt;
  private final AttemptSettler settler;
  private final CancellationRegistry cancellations;
  private final ControlStream controlStream;
  private final WorkerMetrics metrics;
  private final WorkerProperties properties;
  private final CancellationProperties cancellationProperties;

  JobListener(
      DownloadAttempt attempt,
      AttemptSettler settler,
      CancellationRegistry cancellations,
      ControlStream controlStream,
      WorkerMetrics metrics,
      WorkerProperties properties,
      CancellationProperties cancellationProperties) {
    this.attempt = attempt;
    this.settler = settler;
    this.cancellations = cancellations;
    this.controlStream = controlStream;
    this.metrics = metrics;
    this.properties = properties;
    this.cancellationProperties = cancellationProperties;
  }

  /** Started by {@link JobConsumerStarter} once the control stream has been read. */
  @RabbitListener(id = ID, queues = Topology.JOBS_QUEUE, autoStartup = "false")
  void onJob(@Payload DownloadJob job, Message message, Channel channel) {
    var delivery = JobDelivery.of(job, message);
    metrics.started();
    // Anything thrown below that is not handled makes the container reject the message into the
    // dead-letter queue (default-requeue-rejected=false): count it as such.
    Disposition disposition = Disposition.REJECTED;
    try (var _ = MDC.putCloseable("jobId", job.jobId().toString());
        var _ = MDC.putCloseable("attempt", Integer.toString(delivery.attempt()))) {
      try {
        if (isCancelled(delivery)) {
          log.info("Job {} attempt {} skipped: cancelled", job.jobId(), delivery.attempt());
          // It may have waited for this retry with a partial file of an earlier attempt.
          attempt.discardLeftovers(delivery);
          disposition = Disposition.CANCELLED;
          return;
        }
        disposition = attemptOrDefer(delivery);
      } catch (PublishFailedException e) {
        disposition = Disposition.REQUEUED;
        throw handBackUnconfirmed(delivery, channel, e);
      } catch (DownloadInterruptedException e) {
        disposition = Disposition.REQUEUED;
        log.info(
            "Job {} attempt {} interrupted: worker stopping, handing it back",
            job.jobId(),
            delivery.attempt());
        throw new HandBackException("worker stopping", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        disposition = Disposition.REQUEUED;
        throw new HandBackException("worker stopping", e);
      }
    } finally {
      metrics.finished(disposition);
    }
  }

  /**
   * Makes the attempt and settles its outcome, or, when another delivery of the job is downloading
   * it right now, defers this one.
   */
  private Disposition attemptOrDefer(JobDelivery delivery) {
    AttemptOutcome outcome;
    try {
      outcome = attempt.run(delivery);
    } catch (JobBusyException e) {
      return settler.defer(delivery, e.getMessage());
    }
    return settler.settle(delivery, outcome);
  }

  /**
   * Whether the job was cancelled, as far as the control stream read so far tells. After the
   * stream's consumer reconnected, it is read again from the start: wait for that first (bounded),
   * so a cancellation published while it was away is not missed.
   */
  private boolean isCancelled(JobDelivery delivery) throws InterruptedException {
    if (!controlStream.isCaughtUp()
        && !controlStream.awaitCaughtUp(cancellationProperties.catchUpTimeout())) {
      log.warn(
          "Job {}: the control stream is not read up to date after {}; going ahead, a"
              + " cancellation arriving later still stops the download",
          delivery.jobId(),
          cancellationProperties.catchUpTimeout());
    }
    return cancellations.isCancelled(delivery.jobId());
  }

  /**
   * The broker did not confirm an event or dead letter of this job, so the message must not be
   * acknowledged. Neither may it be rejected: with {@code default-requeue-rejected=false} that
   * sends a job whose only problem is the broker into the dead-letter queue. And a plain requeue
   * ({@code basic.nack requeue=true}) can loop forever: RabbitMQ 4.3 does not count it toward the
   * queue's delivery limit.
   *
   * <p>So the listener closes its own channel. The broker then returns the unacknowledged message
   * to the queue as a failed delivery (counted toward {@code x-delivery-limit} on 3.10 and 4.x,
   * which bounds the loop); the container can neither acknowledge nor reject it on the closed
   * channel and restarts this consumer on a new one. When the connection is already gone, the
   * broker has returned the message by itself and closing changes nothing. Redelivery repeats the
   * attempt, which is safe: everything the worker does is idempotent by job id and attempt. The
   * pause first keeps a broker in trouble from being hammered.
   */
  private HandBackException handBackUnconfirmed(
      JobDelivery delivery, Channel channel, PublishFailedException cause) {
    log.error(
        "Job {} attempt {}: the broker did not confirm its outcome ({}); handing it back for"
            + " redelivery",
        delivery.jobId(),
        delivery.attempt(),
        cause.getMessage());
    pause();
    try {
      if (channel.isOpen()) {
        channel.abort();
      }
    } catch (IOException | RuntimeException e) {
      // The channel is unusable either way, which is all this wanted.
      log.debug("Closing the consumer channel failed", e);
    }
    return new HandBackException("outcome not confirmed by the broker", cause);
  }

  private void pause() {
    try {
      Thread.sleep(properties.publishFailureBackoff());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
