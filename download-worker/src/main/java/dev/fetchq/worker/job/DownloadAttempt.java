package dev.fetchq.worker.job;

import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.cancel.CancellationRegistry;
import dev.fetchq.worker.download.CancelSignal;
import dev.fetchq.worker.download.DownloadCancelledException;
import dev.fetchq.worker.download.DownloadFailedException;
import dev.fetchq.worker.download.DownloadRequest;
import dev.fetchq.worker.download.DownloadResult;
import dev.fetchq.worker.download.Downloader;
import dev.fetchq.worker.events.JobEventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Runs one attempt at a job: announce it, download, and say how it ended. */
@Component
class DownloadAttempt {

  private static final Logger log = LoggerFactory.getLogger(DownloadAttempt.class);

  private final Downloader downloader;
  private final JobEventPublisher events;
  private final CancellationRegistry cancellations;
  private final WorkerMetrics metrics;
  private final WorkerProperties properties;
  private final Clock clock;

  DownloadAttempt(
      Downloader downloader,
      JobEventPublisher events,
      CancellationRegistry cancellations,
      WorkerMetrics metrics,
      WorkerProperties properties,
      Clock clock) {
    this.downloader = downloader;
    this.events = events;
    this.cancellations = cancellations;
    this.metrics = metrics;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Publishes Started (confirmed) before the origin is contacted, then downloads. A cancellation of
   * the job that arrives meanwhile stops the download at once.
   *
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when Started was not
   *     confirmed
   * @throws dev.fetchq.worker.download.DownloadInterruptedException when the worker is stopping
   */
  AttemptOutcome run(JobDelivery delivery) {
    var cancel = new CancelSignal();
    try (var _ = cancellations.register(delivery.jobId(), cancel::cancel)) {
      Instant startedAt = clock.instant();
      events.publish(
          new JobEvent.Started(delivery.jobId(), delivery.attempt(), properties.id(), startedAt));
      log.info("Job {} attempt {} started", delivery.jobId(), delivery.attempt());
      return download(delivery, startedAt, cancel);
    }
  }

  private AttemptOutcome download(JobDelivery delivery, Instant startedAt, CancelSignal cancel) {
    var request =
        new DownloadRequest(
            delivery.jobId(),
            delivery.job().url(),
            delivery.job().expectedSha256(),
            properties.maxSize().toBytes());
    long start = System.nanoTime();
    var progress =
        new ProgressReporter(
            delivery,
            properties.id(),
            clock,
            properties.progressInterval(),
            startedAt,
            events::publish,
            metrics::bytesStored,
            () -> metrics.firstByte(since(start)));
    try {
      DownloadResult result = downloader.download(request, progress, cancel);
      metrics.downloaded(true, since(start));
      return new AttemptOutcome.Succeeded(startedAt, result);
    } catch (DownloadFailedException e) {
      metrics.downloaded(false, since(start));
      return new AttemptOutcome.Failed(startedAt, e.failure(), e.retryAfter());
    } catch (DownloadCancelledException e) {
      return new AttemptOutcome.Cancelled(startedAt);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
