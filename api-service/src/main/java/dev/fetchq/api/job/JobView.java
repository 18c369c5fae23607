package dev.fetchq.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fetchq.model.Failure;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as the HTTP API shows it: a public contract, pinned by {@code JobViewJsonTests}. It leaves
 * out where the file lies in storage and adds where to download it.
 *
 * @param attempts the latest attempt (0 before the first)
 * @param budgetStart the first attempt of the current attempt budget: 1, or the attempt after the
 *     last one when the job was replayed from the dead-letter queue
 * @param startedAt when the first attempt started
 * @param finishedAt when the job reached its final status (cleared by a replay)
 * @param discardedAt when an operator discarded the dead job's dead letter
 * @param bytes bytes stored so far (the file size once succeeded); {@code null} before the first
 *     attempt
 * @param totalBytes the expected size when the origin announced one
 * @param sha256 the SHA-256 of the stored file
 * @param expectedSha256 the SHA-256 the client asked the file to have
 * @param owner the name of the API key that submitted the job ({@code null} for jobs from before
 *     API keys)
 * @param lastError why the last failed attempt failed
 * @param attemptHistory every attempt, first to last; shown by {@code GET /jobs/{id}} and left out
 *     of lists
 * @param worker the worker that reported last
 * @param contentUrl where to download the file, once the job succeeded
 */
record JobView(
    UUID id,
    String url,
    JobStatus status,
    int attempts,
    int budgetStart,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant discardedAt,
    Instant nextAttemptAt,
    Long bytes,
    Long totalBytes,
    String sha256,
    String expectedSha256,
    String contentType,
    String filename,
    String owner,
    Failure lastError,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<JobAttempt> attemptHistory,
    String worker,
    String contentUrl) {

  /** The job as lists show it: without its attempt history. */
  static JobView of(Job job) {
    return of(job, null);
  }

  /** The job with its attempt history. */
  static JobView of(Job job, List<JobAttempt> attemptHistory) {
    return new JobView(
        job.id(),
        job.url(),
        job.status(),
        job.attempts(),
        job.budgetStart(),
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.discardedAt(),
        job.nextAttemptAt(),
        job.bytes(),
        job.totalBytes(),
        job.sha256(),
        job.expectedSha256(),
        job.contentType(),
        job.filename(),
        job.owner(),
        job.lastError(),
        attemptHistory,
        job.worker(),
        job.status() == JobStatus.SUCCEEDED ? "/jobs/" + job.id() + "/content" : null);
  }
}
