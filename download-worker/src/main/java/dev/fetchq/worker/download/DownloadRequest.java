package dev.fetchq.worker.download;

import java.util.Objects;
import java.util.UUID;

/**
 * One file to fetch, with the limits it must respect.
 *
 * @param jobId names the stored file
 * @param url the URL as the client gave it (validated by the downloader, not here)
 * @param expectedSha256 hex SHA-256 the body must have, or {@code null}
 * @param maxBytes the largest body accepted
 */
public record DownloadRequest(UUID jobId, String url, String expectedSha256, long maxBytes) {

  public DownloadRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(url, "url");
  }
}
