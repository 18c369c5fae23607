package dev.fetchq.worker.job;

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
import org.springframework.stereotype.Component;

/** Runs one attempt at a job: announce it, download, and say how it ended. */
@Component
class DownloadAttempt {

  private final Downloader downloader;
  private final StartAnnouncer announcer;
  private final JobEventPublisher events;
  private final CancellationRegistry cancellations;
  private final WorkerMetrics metrics;
  private final WorkerProperties properties;
  private final Clock clock;

  DownloadAttempt(
      Downloader downloader,
      StartAnnouncer announcer,
      JobEventPublisher events,
      CancellationRegistry cancellations,
      WorkerMetrics metrics,
      WorkerProperties properties,
      Clock clock) {
    this.downloader = downloader;
    this.announcer = announcer;
    this.events = events;
    this.cancellations = cancellations;
    this.metrics = metrics;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Claims the job's files (so no other delivery of it downloads at the same time), starts
   * announcing the attempt (see {@link StartAnnouncement}: the announcement is not awaited here,
   * and the outcome's settling confirms it), then downloads. A cancellation of the job that arrives
   * meanwhile stops the download at once.
   *
   * @throws dev.fetchq.worker.download.JobBusyException when another delivery of the job holds its
   *     files: nothing was published or downloaded
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
        Instant startedAt = clock.instant();
        metrics.downloaded(false, Duration.ZERO);
        return new AttemptOutcome.Failed(
            announcer.announce(delivery, startedAt), startedAt, e.failure(), e.retryAfter());
      }
      try (claim) {
        Instant startedAt = clock.instant();
        var announcement = announcer.announce(delivery, startedAt);
        try {
          return download(delivery, claim, startedAt, announcement, cancel);
        } catch (RuntimeException e) {
          announcement.close();
          throw e;
        }
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

  private AttemptOutcome download(
      JobDelivery delivery,
      DownloadClaim claim,
      Instant startedAt,
      StartAnnouncement announcement,
      CancelSignal cancel) {
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
            event -> {
              // Progress follows the announcement, and implies the attempt is worth announcing.
              announcement.confirm();
              events.publish(event);
            },
            metrics::bytesStored,
            () -> metrics.firstByte(since(start)),
            metrics::partialFile);
    try {
      DownloadResult result = downloader.download(claim, request, progress, cancel);
      metrics.downloaded(true, since(start));
      return new AttemptOutcome.Succeeded(announcement, startedAt, result);
    } catch (DownloadFailedException e) {
      metrics.downloaded(false, since(start));
      return new AttemptOutcome.Failed(announcement, startedAt, e.failure(), e.retryAfter());
    } catch (DownloadCancelledException e) {
      return new AttemptOutcome.Cancelled(announcement, startedAt);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
