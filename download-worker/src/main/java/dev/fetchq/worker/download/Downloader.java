package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.storage.FileStorage;
import dev.fetchq.worker.storage.JobClaim;
import dev.fetchq.worker.storage.StagedFile;
import dev.fetchq.worker.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches a URL into storage and verifies it: the file is either stored complete and checked under
 * its final name, or not at all.
 *
 * <p>Downloads are resumable across attempts and workers. What an attempt stored stays in the job's
 * partial file when it fails transiently, times out or is interrupted (the worker stopping), and
 * the next attempt, wherever it runs, asks the origin for the rest with {@code Range} and {@code
 * If-Range}. It continues only a {@code 206} that provably continues the same representation, and
 * otherwise downloads the whole file again: the stored file and its SHA-256 are the same either
 * way. A partial file goes when the job succeeds, fails for good or is cancelled.
 */
@Component
public class Downloader {

  private static final Logger log = LoggerFactory.getLogger(Downloader.class);

  /**
   * How long a delivery waits for another delivery of the same job to let go of its files: long
   * enough for a worker that is stopping to hand its download back (the broker may redeliver the
   * message a moment before that worker's thread has let go), short enough not to hold a consumer
   * hostage to a duplicate.
   */
  static final Duration CLAIM_WAIT = Duration.ofSeconds(5);

  private final CloseableHttpClient http;
  private final FileStorage storage;
  private final TransferWatchdog watchdog;
  private final Clock clock;

  Downloader(
      CloseableHttpClient downloadHttpClient,
      FileStorage storage,
      TransferWatchdog watchdog,
      Clock clock) {
    this.http = downloadHttpClient;
    this.storage = storage;
    this.watchdog = watchdog;
    this.clock = clock;
  }

  /**
   * Claims the job's files for this delivery, across all workers, waiting a few seconds if another
   * delivery holds them.
   *
   * @throws JobBusyException when another delivery still holds them
   * @throws DownloadFailedException when storage cannot be used ({@link FailureReason#STORAGE})
   * @throws DownloadInterruptedException when the thread was interrupted while waiting
   */
  public DownloadClaim claim(UUID jobId) throws DownloadFailedException {
    try {
      return storage
          .claim(jobId, CLAIM_WAIT)
          .map(DownloadClaim::new)
          .orElseThrow(() -> new JobBusyException(jobId, CLAIM_WAIT));
    } catch (StorageException e) {
      throw new DownloadFailedException(FailureClassifier.classify(e), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DownloadInterruptedException(e);
    }
  }

  /**
   * Removes what attempts of the job left in storage, unless another delivery holds the job's files
   * right now (it cleans up after itself). Best effort: a failure is logged.
   */
  public void discardPartial(UUID jobId) {
    try {
      Optional<JobClaim> claim = storage.claim(jobId, Duration.ZERO);
      if (claim.isEmpty()) {
        return;
      }
      try (JobClaim held = claim.get()) {
        held.discardPart();
      }
    } catch (StorageException e) {
      log.warn("Job {}: its partial file could not be removed: {}", jobId, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Downloads, verifies and stores {@code request}'s file, continuing what an earlier attempt left,
   * reporting each stored chunk to {@code progress}, unless {@code cancel} stops it first.
   *
   * @param claim this delivery's claim of the job ({@link #claim})
   * @throws DownloadFailedException when no verified file was stored; a transient failure keeps the
   *     partial file for the next attempt, a permanent one removes it
   * @throws DownloadCancelledException when {@code cancel} stopped it (before any request was sent,
   *     or mid-transfer); nothing is left in storage
   * @throws DownloadInterruptedException when the thread was interrupted (the worker is stopping);
   *     the partial file is kept
   */
  public DownloadResult download(
      DownloadClaim claim, DownloadRequest request, ProgressListener progress, CancelSignal cancel)
      throws DownloadFailedException {
    if (!claim.jobId().equals(request.jobId())) {
      throw new IllegalArgumentException("claim of job " + claim.jobId() + " used for another");
    }
    StagedFile part = null;
    boolean keep = false;
    try (TransferWatch watch = watchdog.watch()) {
      try {
        URI uri = DownloadUrl.parse(request.url());
        checkExpectedSha256(request.expectedSha256());
        part = claim.storage().openPart();
        return fetch(uri, request, part, progress, cancel, watch);
      } catch (DownloadCancelledException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // An aborted exchange surfaces as whatever the blocked call failed with: the signals say
        // why.
        if (cancel.isCancelled()) {
          throw new DownloadCancelledException(e);
        }
        Optional<String> limit = watch.violation();
        if (limit.isPresent()) {
          keep = true;
          throw new DownloadFailedException(
              Failure.of(FailureReason.TIMEOUT, limit.get()), null, e);
        }
        if (Thread.currentThread().isInterrupted()) {
          keep = true;
          throw new DownloadInterruptedException(e);
        }
        Failure failure = FailureClassifier.classify(e);
        keep = !failure.reason().permanent();
        throw new DownloadFailedException(failure, retryAfter(e), e);
      } finally {
        release(request, part, keep);
      }
    }
  }

  /**
   * Asks for the rest of the partial file when it can be continued, else for the whole file; and
   * once more for the whole file if the answer cannot continue it, or if a continued file turns out
   * not to have the expected checksum (only a full fresh download may fail on that).
   */
  private DownloadResult fetch(
      URI uri,
      DownloadRequest request,
      StagedFile part,
      ProgressListener progress,
      CancelSignal cancel,
      TransferWatch watch)
      throws IOException {
    PartState resume = resumable(request, part, progress);
    while (true) {
      var get = new HttpGet(uri);
      if (resume != null) {
        get.setHeader(HttpHeaders.RANGE, "bytes=" + part.size() + "-");
        get.setHeader(HttpHeaders.IF_RANGE, resume.validator());
      }
      if (!cancel.attach(get)) {
        throw new DownloadCancelledException(null);
      }
      if (!watch.attach(get)) {
        throw new IOException("download stopped at a limit");
      }
      var outcome = http.execute(get, new BodyStreamer(part, resume, request, progress, watch));
      switch (outcome) {
        case BodyStreamer.Restart restart -> {
          log.info(
              "Job {}: the partial file of {} bytes is downloaded again: {}",
              request.jobId(),
              part.size(),
              restart.reason());
          progress.restarted(part.size());
          part.restart(null);
          resume = null;
        }
        case BodyStreamer.Stored body -> {
          if (body.resumedFrom() > 0 && !matches(request.expectedSha256(), body.sha256())) {
            log.warn(
                "Job {}: the file continued at byte {} does not have the expected SHA-256;"
                    + " downloading it whole to be sure",
                request.jobId(),
                body.resumedFrom());
            progress.restarted(body.bytes());
            part.restart(null);
            resume = null;
            continue;
          }
          verify(request.expectedSha256(), body.sha256());
          String key = part.commit();
          return new DownloadResult(
              body.bytes(), body.sha256(), body.contentType(), key, body.resumedFrom());
        }
      }
    }
  }

  /**
   * The recorded state of the partial file if the download can continue it; otherwise empties the
   * part (saying why, if it held anything) and returns {@code null}.
   */
  private PartState resumable(DownloadRequest request, StagedFile part, ProgressListener progress)
      throws StorageException {
    long size = part.size();
    Optional<PartState> state = part.resumeInfo().flatMap(PartState::fromJson);
    Optional<String> unusable =
        size == 0
            ? Optional.of("empty")
            : state.isEmpty()
                ? Optional.of("nothing usable was recorded about it")
                : state.get().unusableFor(request.url(), size, request.maxBytes());
    if (unusable.isEmpty()) {
      log.debug(
          "Job {}: asking for the rest of the partial file of {} bytes (If-Range: {})",
          request.jobId(),
          size,
          state.get().validator());
      return state.get();
    }
    if (size > 0) {
      log.info(
          "Job {}: the partial file of {} bytes is not continued ({}); downloading from the start",
          request.jobId(),
          size,
          unusable.get());
      progress.restarted(size);
    }
    if (size > 0 || part.resumeInfo().isPresent()) {
      part.restart(null);
    }
    return null;
  }

  /** Keeps the partial file for the next attempt, or removes it; never hides the real outcome. */
  private static void release(DownloadRequest request, StagedFile part, boolean keep) {
    if (part == null) {
      return;
    }
    try {
      if (keep) {
        part.keep();
      } else {
        part.close();
      }
    } catch (StorageException e) {
      log.warn("Job {}: cleaning up its partial file failed: {}", request.jobId(), e.getMessage());
    }
  }

  /** The delay an error answer asked for, read now, when the answer has just arrived. */
  private Duration retryAfter(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpStatusException status) {
        return RetryAfter.parse(status.retryAfter(), clock.instant()).orElse(null);
      }
    }
    return null;
  }

  private static void checkExpectedSha256(String expected) throws DownloadRejectedException {
    if (expected != null && !expected.matches("[0-9a-fA-F]{64}")) {
      throw new DownloadRejectedException(
          FailureReason.CHECKSUM_MISMATCH, "expected SHA-256 is not 64 hex digits: " + expected);
    }
  }

  private static boolean matches(String expected, String actual) {
    return expected == null || expected.equalsIgnoreCase(actual);
  }

  private static void verify(String expected, String actual) throws DownloadRejectedException {
    if (!matches(expected, actual)) {
      throw new DownloadRejectedException(
          FailureReason.CHECKSUM_MISMATCH,
          "SHA-256 mismatch: expected " + expected.toLowerCase(Locale.ROOT) + ", got " + actual);
    }
  }
}
