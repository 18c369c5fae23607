package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.worker.storage.FileStorage;
import dev.fetchq.worker.storage.StagedFile;
import java.io.IOException;
import java.net.URI;
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

  Downloader(CloseableHttpClient downloadHttpClient, FileStorage storage) {
    this.http = downloadHttpClient;
    this.storage = storage;
  }

  /**
   * Downloads, verifies and stores {@code request}'s file, reporting each stored chunk to {@code
   * progress}.
   *
   * @throws DownloadFailedException when no verified file was stored; nothing is left in storage
   * @throws DownloadInterruptedException when the thread was interrupted (the worker is stopping)
   */
  public DownloadResult download(DownloadRequest request, ProgressListener progress)
      throws DownloadFailedException {
    try {
      URI uri = DownloadUrl.parse(request.url());
      checkExpectedSha256(request.expectedSha256());
      try (StagedFile file = storage.stage(request.jobId())) {
        var body =
            http.execute(new HttpGet(uri), new BodyStreamer(file, request.maxBytes(), progress));
        verify(request.expectedSha256(), body.sha256());
        return new DownloadResult(body.bytes(), body.sha256(), body.contentType(), file.commit());
      }
    } catch (IOException | RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new DownloadInterruptedException(e);
      }
      Failure failure = FailureClassifier.classify(e);
      throw new DownloadFailedException(failure, e);
    }
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
