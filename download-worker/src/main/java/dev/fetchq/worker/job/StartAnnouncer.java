package dev.fetchq.worker.job;

import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.download.TimerThread;
import dev.fetchq.worker.events.JobEventPublisher;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.stereotype.Component;

/**
 * Announces attempts ({@link JobEvent.Started}) as {@code fetchq.worker.started-event-delay} says:
 * at once, or only for an attempt still running after that delay. One thread sends the late
 * announcements of the whole process.
 */
@Component
class StartAnnouncer implements AutoCloseable {

  private final JobEventPublisher events;
  private final ObservationRegistry observations;
  private final Duration delay;
  private final String worker;
  private final ScheduledThreadPoolExecutor scheduler = TimerThread.start("fetchq-started-events");

  StartAnnouncer(
      JobEventPublisher events, ObservationRegistry observations, WorkerProperties properties) {
    this.events = events;
    this.observations = observations;
    this.delay = properties.startedEventDelay();
    this.worker = properties.id();
  }

  /** Begins announcing the attempt of {@code delivery} that started at {@code startedAt}. */
  StartAnnouncement announce(JobDelivery delivery, Instant startedAt) {
    var announcement =
        new StartAnnouncement(
            new JobEvent.Started(delivery.jobId(), delivery.attempt(), worker, startedAt),
            events,
            observations.getCurrentObservation());
    announcement.begin(scheduler, delay);
    return announcement;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
