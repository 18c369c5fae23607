package dev.fetchq.worker.job;

import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.cancel.CancellationRegistry;
import dev.fetchq.worker.download.CancelSignal;
import dev.fetchq.worker.download.DownloadCancelledException;
import dev.fetchq.worker.download.DownloadClaim;
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
   * Claims the job's files (so no other delivery of it downloads at the same time), publishes
   * Started (confirmed) before the origin is contacted, then downloads. A cancellation of the job
   * that arrives meanwhile stops the download at once.
   *
   * @throws dev.fetchq.worker.download.JobBusyException when another delivery of the job holds its
   *     files: nothing was published or downloaded
   * @throws dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException when Started was not
   *     confirmed
   * @throws dev.fetchq.worker.download.DownloadInterruptedException when the worker is stopping
   */
  AttemptOutcome run(JobDelivery delivery) {
    var cancel = new CancelSignal();
    try (var _ = cancellations.register(delivery.jobId(), cancel::cancel)) {
      DownloadClaim claim;
      try {
        claim = downloader.claim(delivery.jobId());
      } catch (DownloadFailedException e) {
        // Storage is unusable: an attempt that failed at once, reported as one.
        Instant startedAt = announce(delivery);
        metrics.downloaded(false, Duration.ZERO);
        return new AttemptOutcome.Failed(startedAt, e.failure(), e.retryAfter());
      }
      try (claim) {
        Instant startedAt = announce(delivery);
        return download(delivery, claim, startedAt, cancel);
      }
    }
  }

  /**
   * Removes what earlier attempts of a job that will not be attempted again left in storage (unless
   * another delivery of it is running, which cleans up itself).
   */
  void discardLeftovers(JobDelivery delivery) {
    downloader.discardPartial(delivery.jobId());
  }

  private Instant announce(JobDelivery delivery) {
    Instant startedAt = clock.instant();
    events.publish(
        new JobEvent.Started(delivery.jobId(), delivery.attempt(), properties.id(), startedAt));
    log.info("Job {} attempt {} started", delivery.jobId(), delivery.attempt());
    return startedAt;
  }

  private AttemptOutcome download(
      JobDelivery delivery, DownloadClaim claim, Instant startedAt, CancelSignal cancel) {
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
            () -> metrics.firstByte(since(start)),
            metrics::partialFile);
    try {
      DownloadResult result = downloader.download(claim, request, progress, cancel);
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
