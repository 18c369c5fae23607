package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.storage.FileStorage;
import dev.fetchq.worker.storage.StagedFile;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.stereotype.Component;

/**
 * Fetches a URL into storage and verifies it: the file is either stored complete and checked under
 * its final name, or not at all.
 */
@Component
public class Downloader {

  private final CloseableHttpClient http;
  private final FileStorage storage;
  private final Clock clock;

  Downloader(CloseableHttpClient downloadHttpClient, FileStorage storage, Clock clock) {
    this.http = downloadHttpClient;
    this.storage = storage;
    this.clock = clock;
  }

  /**
   * Downloads, verifies and stores {@code request}'s file, reporting each stored chunk to {@code
   * progress}, unless {@code cancel} stops it first.
   *
   * @throws DownloadFailedException when no verified file was stored; nothing is left in storage
   * @throws DownloadCancelledException when {@code cancel} stopped it (before any request was sent,
   *     or mid-transfer); nothing is left in storage
   * @throws DownloadInterruptedException when the thread was interrupted (the worker is stopping)
   */
  public DownloadResult download(
      DownloadRequest request, ProgressListener progress, CancelSignal cancel)
      throws DownloadFailedException {
    try {
      URI uri = DownloadUrl.parse(request.url());
      checkExpectedSha256(request.expectedSha256());
      var get = new HttpGet(uri);
      if (!cancel.attach(get)) {
        throw new DownloadCancelledException(null);
      }
      try (StagedFile file = storage.stage(request.jobId())) {
        var body = http.execute(get, new BodyStreamer(file, request.maxBytes(), progress));
        verify(request.expectedSha256(), body.sha256());
        return new DownloadResult(body.bytes(), body.sha256(), body.contentType(), file.commit());
      }
    } catch (DownloadCancelledException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // An aborted exchange surfaces as whatever the blocked call failed with: the signal says why.
      if (cancel.isCancelled()) {
        throw new DownloadCancelledException(e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new DownloadInterruptedException(e);
      }
      Failure failure = FailureClassifier.classify(e);
      throw new DownloadFailedException(failure, retryAfter(e), e);
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

  private static void verify(String expected, String actual) throws DownloadRejectedException {
    if (expected != null && !expected.equalsIgnoreCase(actual)) {
      throw new DownloadRejectedException(
          FailureReason.CHECKSUM_MISMATCH,
          "SHA-256 mismatch: expected " + expected.toLowerCase(Locale.ROOT) + ", got " + actual);
    }
  }
}
