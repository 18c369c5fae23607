package dev.fetchq.api.job;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The {@code Idempotency-Key} header of {@code POST /jobs}: 1 to 255 printable ASCII characters (a
 * UUID is a good choice). A value in double quotes, the structured-field string form of the IETF
 * draft, means the same key without them.
 */
record IdempotencyKey(String value) {

  static final String HEADER = "Idempotency-Key";
  static final int MAX_LENGTH = 255;

  private static final Pattern VALID = Pattern.compile("[\\x20-\\x7E]{1," + MAX_LENGTH + "}");

  /**
   * Reads the header; {@code null} when it is absent.
   *
   * @throws ErrorResponseException 400 when the value is not a valid key
   */
  static IdempotencyKey parse(String header) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    if (!VALID.matcher(value).matches() || value.isBlank()) {
      var problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.BAD_REQUEST, "The request has an invalid Idempotency-Key header.");
      problem.setProperty(
          "errors",
          List.of(
              Map.of(
                  "field",
                  HEADER,
                  "message",
                  "must be 1 to " + MAX_LENGTH + " printable ASCII characters")));
      throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
    return new IdempotencyKey(value);
  }
}
