package dev.fetchq.model;

import java.util.Objects;
import java.util.UUID;

/**
 * The command a worker consumes: fetch {@code url} for job {@code jobId}.
 *
 * <p>It carries only what a worker needs. The attempt number travels in the {@link Headers#ATTEMPT}
 * header, not here, so that a retry republishes the same body.
 *
 * @param jobId the job's id, also the AMQP {@code messageId}
 * @param url the absolute http(s) URL to fetch
 * @param expectedSha256 lower-case hex SHA-256 the file must have, or {@code null} when not given
 */
public record DownloadJob(UUID jobId, String url, String expectedSha256) {

  public DownloadJob {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(url, "url");
  }
}
