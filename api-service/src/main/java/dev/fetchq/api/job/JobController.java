package dev.fetchq.api.job;

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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Jobs")
@RestController
@RequestMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
class JobController {

  static final int MAX_PAGE_SIZE = 500;

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

  /** Accepts a job; it runs asynchronously, so the answer is 202 with where to watch it. */
  @Operation(summary = "Submit a download job")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JobView> submit(@Valid @RequestBody SubmitJobRequest request) {
    Job job = submission.submit(request);
    return ResponseEntity.accepted()
        .location(URI.create("/jobs/" + job.id()))
        .body(JobView.of(job, List.of()));
  }

  @Operation(summary = "Show a job with its attempt history")
  @GetMapping("/{id}")
  JobView get(@PathVariable UUID id) {
    Job job = jobs.findById(id).orElseThrow(() -> JobProblems.notFound(id));
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
              + " seconds. 409 when the job is already final.")
  @PostMapping("/{id}/cancel")
  ResponseEntity<JobView> cancel(@PathVariable UUID id) {
    Job job = cancellation.cancel(id);
    return ResponseEntity.accepted().body(JobView.of(job, attempts.findByJob(id)));
  }

  /** The same as {@code POST /jobs/{id}/cancel}: the job stays visible as CANCELLED. */
  @Operation(summary = "Cancel a job (same as POST /jobs/{id}/cancel)")
  @DeleteMapping("/{id}")
  ResponseEntity<JobView> delete(@PathVariable UUID id) {
    return cancel(id);
  }

  /** Jobs newest first, a page at a time; follow {@code nextCursor} for the next page. */
  @Operation(summary = "List jobs, newest first")
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
          PageCursor cursor) {
    // One row more than asked tells whether there is a next page.
    List<Job> rows = jobs.findPage(status, cursor == null ? null : cursor.after(), limit + 1);
    boolean more = rows.size() > limit;
    List<Job> page = more ? rows.subList(0, limit) : rows;
    String next = more ? PageCursor.after(page.getLast().id()).encode() : null;
    return new JobPage(page.stream().map(JobView::of).toList(), next);
  }
}
