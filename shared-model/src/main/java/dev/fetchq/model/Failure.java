package dev.fetchq.model;

import java.util.Objects;

/**
 * What went wrong in one attempt, in terms a person can act on.
 *
 * @param reason the failure class
 * @param httpStatus the origin's HTTP status when it answered, otherwise {@code null}
 * @param message a short human-readable explanation (never a stack trace)
 */
public record Failure(FailureReason reason, Integer httpStatus, String message) {

  /** Longest message we carry; origins can send arbitrarily long error text. */
  public static final int MAX_MESSAGE_LENGTH = 1000;

  public Failure {
    Objects.requireNonNull(reason, "reason");
    message = message == null ? reason.name() : truncate(message);
  }

  public static Failure of(FailureReason reason, String message) {
    return new Failure(reason, null, message);
  }

  public static Failure http(FailureReason reason, int status, String message) {
    return new Failure(reason, status, message);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE_LENGTH
        ? message
        : message.substring(0, MAX_MESSAGE_LENGTH);
  }
}
