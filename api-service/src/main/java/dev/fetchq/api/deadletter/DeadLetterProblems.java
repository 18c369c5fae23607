package dev.fetchq.api.deadletter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The errors the dead-letter endpoints answer with, as RFC 9457 problem details. */
final class DeadLetterProblems {

  private DeadLetterProblems() {}

  static ErrorResponseException busy() {
    return retryLater(
        "Another dead-letter request is in progress (possibly on another replica). Nothing was"
            + " changed; try again shortly.");
  }

  static ErrorResponseException brokerUnavailable(Exception cause) {
    return retryLater(
        "RabbitMQ is unavailable, so the dead-letter queue cannot be read. Messages taken before"
            + " the failure stay in the queue; try again shortly.",
        cause);
  }

  static ErrorResponseException noDeadLetter(String id) {
    return problem(HttpStatus.NOT_FOUND, "There is no dead letter with id " + id + ".");
  }

  static ErrorResponseException badReplayRequest(String detail) {
    return problem(HttpStatus.BAD_REQUEST, detail);
  }

  private static ErrorResponseException retryLater(String detail) {
    return retryLater(detail, null);
  }

  private static ErrorResponseException retryLater(String detail, Throwable cause) {
    var problem =
        new ErrorResponseException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail),
            cause);
    problem.getHeaders().set(HttpHeaders.RETRY_AFTER, "2");
    return problem;
  }

  private static ErrorResponseException problem(HttpStatus status, String detail) {
    return new ErrorResponseException(
        status, ProblemDetail.forStatusAndDetail(status, detail), null);
  }
}
