package dev.fetchq.api.job;

import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The errors the job endpoints answer with, as RFC 9457 problem details. */
final class JobProblems {

  private JobProblems() {}

  static ErrorResponseException notFound(UUID id) {
    return problem(HttpStatus.NOT_FOUND, "There is no job " + id + ".");
  }

  static ErrorResponseException contentNotReady(UUID id, JobStatus status) {
    return problem(
        HttpStatus.CONFLICT,
        "Job " + id + " is " + status + ": its content is available only once it SUCCEEDED.");
  }

  static ErrorResponseException cannotCancel(UUID id, JobStatus status) {
    return problem(
        HttpStatus.CONFLICT,
        "Job " + id + " is " + status + ", which is final: it can no longer be cancelled.");
  }

  static ErrorResponseException contentGone(UUID id) {
    return problem(
        HttpStatus.GONE, "Job " + id + " succeeded, but its file is no longer in storage.");
  }

  static ErrorResponseException idempotencyKeyReused(IdempotencyKey key) {
    return problem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "The Idempotency-Key '"
            + key.value()
            + "' was already used for a different request: use a new key for a new job.");
  }

  private static ErrorResponseException problem(HttpStatus status, String detail) {
    return new ErrorResponseException(
        status, ProblemDetail.forStatusAndDetail(status, detail), null);
  }
}
