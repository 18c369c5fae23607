package dev.fetchq.api.job;

import dev.fetchq.model.Failure;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the HTTP API shows it: a public contract, pinned by {@code JobViewJsonTests}. It leaves
 * out where the file lies in storage and adds where to download it.
 *
 * @param startedAt when the first attempt started
 * @param bytes bytes stored so far (the file size once succeeded); {@code null} before the first
 *     attempt
 * @param totalBytes the expected size when the origin announced one
 * @param sha256 the SHA-256 of the stored file
 * @param expectedSha256 the SHA-256 the client asked the file to have
 * @param lastError why the last failed attempt failed
 * @param worker the worker that reported last
 * @param contentUrl where to download the file, once the job succeeded
 */
record JobView(
    UUID id,
    String url,
    JobStatus status,
    int attempts,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant nextAttemptAt,
    Long bytes,
    Long totalBytes,
    String sha256,
    String expectedSha256,
    String contentType,
    String filename,
    Failure lastError,
    String worker,
    String contentUrl) {

  static JobView of(Job job) {
    return new JobView(
        job.id(),
        job.url(),
        job.status(),
        job.attempts(),
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.nextAttemptAt(),
        job.bytes(),
        job.totalBytes(),
        job.sha256(),
        job.expectedSha256(),
        job.contentType(),
        job.filename(),
        job.lastError(),
        job.worker(),
        job.status() == JobStatus.SUCCEEDED ? "/jobs/" + job.id() + "/content" : null);
  }
}
