package dev.fetchq.api.job;

import dev.fetchq.api.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Jobs")
@RestController
@RequestMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
class JobController {

  static final int MAX_PAGE_SIZE = 500;
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private final JobSubmission submission;
  private final JobCancellation cancellation;
  private final JobRepository jobs;
  private final JobAttemptRepository attempts;

  JobController(
      JobSubmission submission,
      JobCancellation cancellation,
      JobRepository jobs,
      JobAttemptRepository attempts) {
    this.submission = submission;
    this.cancellation = cancellation;
    this.jobs = jobs;
    this.attempts = attempts;
  }

  /**
   * Accepts a job; it runs asynchronously, so the answer is 202 with where to watch it. With an
   * {@code Idempotency-Key} already used for the same request, the answer is that job (202, same
   * Location, header {@code Idempotent-Replayed: true}) and nothing is written.
   */
  @Operation(
      summary = "Submit a download job",
      description =
          "Optional header Idempotency-Key (1-255 printable ASCII characters, e.g. a UUID): the"
              + " same key and request within 24 h return the same job instead of a new one; the"
              + " same key with a different request is refused with 422. Keys are per API key.")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JobView> submit(
      @Valid @RequestBody SubmitJobRequest request,
      @Parameter(description = "Makes retries of this request safe: see the operation")
          @RequestHeader(name = IdempotencyKey.HEADER, required = false)
          String idempotencyKey,
      Caller caller) {
    JobSubmission.Submitted submitted =
        submission.submit(request, caller.name(), IdempotencyKey.parse(idempotencyKey));
    Job job = submitted.job();
    var response = ResponseEntity.accepted().location(URI.create("/jobs/" + job.id()));
    if (submitted.replayed()) {
      return response
          .header(IDEMPOTENT_REPLAYED, "true")
          .body(JobView.of(job, attempts.findByJob(job.id())));
    }
    return response.body(JobView.of(job, List.of()));
  }

  @Operation(summary = "Show a job with its attempt history")
  @GetMapping("/{id}")
  JobView get(@PathVariable UUID id, Caller caller) {
    Job job =
        jobs.findById(id)
            .filter(j -> caller.mayAccess(j.owner()))
            .orElseThrow(() -> JobProblems.notFound(id));
    return JobView.of(job, attempts.findByJob(id));
  }

  /**
   * Cancels a job that is not final. The answer is 202: the job is CANCELLED at once and will never
   * be downloaded, while a worker that is downloading it stops shortly after.
   */
  @Operation(
      summary = "Cancel a job",
      description =
          "A queued or retry-scheduled job is never downloaded; a running download stops within"
              + " seconds. 409 when the job is already final; 404 for another client's job.")
  @PostMapping("/{id}/cancel")
  ResponseEntity<JobView> cancel(@PathVariable UUID id, Caller caller) {
    Job job = cancellation.cancel(id, caller);
    return ResponseEntity.accepted().body(JobView.of(job, attempts.findByJob(id)));
  }

  /** The same as {@code POST /jobs/{id}/cancel}: the job stays visible as CANCELLED. */
  @Operation(summary = "Cancel a job (same as POST /jobs/{id}/cancel)")
  @DeleteMapping("/{id}")
  ResponseEntity<JobView> delete(@PathVariable UUID id, Caller caller) {
    return cancel(id, caller);
  }

  /** Jobs newest first, a page at a time; follow {@code nextCursor} for the next page. */
  @Operation(
      summary = "List jobs, newest first: a client key's own, or with an admin key everyone's")
  @GetMapping
  JobPage list(
      @Parameter(description = "Only jobs in this status") @RequestParam(required = false)
          JobStatus status,
      @Parameter(description = "Page size")
          @RequestParam(defaultValue = "50")
          @Min(1)
          @Max(MAX_PAGE_SIZE)
          int limit,
      @Parameter(
              description = "The nextCursor of the previous page",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          PageCursor cursor,
      Caller caller) {
    String owner = caller.isAdmin() ? null : caller.name();
    // One row more than asked tells whether there is a next page.
    List<Job> rows =
        jobs.findPage(owner, status, cursor == null ? null : cursor.after(), limit + 1);
    boolean more = rows.size() > limit;
    List<Job> page = more ? rows.subList(0, limit) : rows;
    String next = more ? PageCursor.after(page.getLast().id()).encode() : null;
    return new JobPage(page.stream().map(JobView::of).toList(), next);
  }
}
