package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher.Confirmation;
import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.events.JobEventPublisher;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobEvent.Started} of one attempt, sent without waiting for its confirm: at once, or
 * after a delay if the attempt is still running then, or when something else about the attempt is
 * reported first (progress, a failure). An attempt that succeeds before it was sent is never
 * announced: its {@link JobEvent.Succeeded} carries the start time and implies the start (the
 * api-service's projection applies it as such).
 *
 * <p>The job message may be acknowledged only after whatever was sent is confirmed: {@link
 * #confirmIfSent()} or {@link #confirm()} come before the outcome is published. Awaiting the
 * confirm before publishing the next event of the attempt also keeps the events in order.
 */
final class StartAnnouncement implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StartAnnouncement.class);

  private final JobEvent.Started event;
  private final JobEventPublisher events;
  private final Observation attemptObservation;
  private Future<?> timer;
  private Confirmation sent;
  private boolean settled;

  StartAnnouncement(JobEvent.Started event, JobEventPublisher events, Observation observation) {
    this.event = event;
    this.events = events;
    this.attemptObservation = observation;
  }

  void begin(ScheduledExecutorService scheduler, Duration delay) {
    if (delay.isZero()) {
      sendNow();
      return;
    }
    Future<?> task;
    try {
      task = scheduler.schedule(this::sendLate, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The process is stopping: announce at once rather than not at all.
      sendNow();
      return;
    }
    synchronized (this) {
      timer = task;
    }
  }

  /** Sends the event (once) unless the attempt's outcome is being reported already. */
  synchronized void sendNow() {
    if (sent == null && !settled) {
      sent = events.send(event);
      log.debug("Job {} attempt {} started", event.jobId(), event.attempt());
    }
  }

  /**
   * Sends the event if it was not yet, and waits for its confirm: for a report that must follow it
   * (progress, a failure).
   *
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when it was not
   *     delivered
   */
  void confirm() {
    sendNow();
    Confirmation confirmation;
    synchronized (this) {
      confirmation = sent;
    }
    if (confirmation != null) {
      confirmation.awaitDelivered();
    }
  }

  /**
   * Stops any later sending and waits for the confirm of what was sent, if anything: for a success,
   * which does not need the event.
   *
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when it was sent and not
   *     delivered
   */
  void confirmIfSent() {
    Confirmation confirmation;
    synchronized (this) {
      settled = true;
      confirmation = sent;
    }
    close();
    if (confirmation != null) {
      confirmation.awaitDelivered();
    }
  }

  /** Stops any later sending: the attempt is over. */
  @Override
  public void close() {
    Future<?> task;
    synchronized (this) {
      settled = true;
      task = timer;
      timer = null;
    }
    if (task != null) {
      task.cancel(false);
    }
  }

  /** On the announcer's thread, as part of the attempt's trace. */
  private void sendLate() {
    try (var _ = attemptObservation == null ? null : attemptObservation.openScope()) {
      sendNow();
    } catch (RuntimeException e) {
      // The outcome confirms (or fails) the announcement; this thread must go on for the others.
      log.warn("Job {}: sending its Started event failed: {}", event.jobId(), e.toString());
    }
  }
}
