package dev.fetchq.api.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The errors of authentication and key management, as RFC 9457 problem details. */
final class ApiKeyProblems {

  /** The challenge of a 401 (RFC 6750): which scheme and realm to authenticate for. */
  static final String CHALLENGE = "Bearer realm=\"fetchq\"";

  private ApiKeyProblems() {}

  static ErrorResponseException missingKey() {
    return unauthorized(
        "Send an API key: 'Authorization: Bearer <key>' (or 'X-API-Key: <key>'). An operator"
            + " creates keys (README, Authentication).",
        CHALLENGE);
  }

  static ErrorResponseException invalidKey() {
    return unauthorized(
        "The API key is not valid: it is unknown or was revoked.",
        CHALLENGE + ", error=\"invalid_token\"");
  }

  static ErrorResponseException adminOnly(Caller caller) {
    return problem(
        HttpStatus.FORBIDDEN,
        "This endpoint needs an admin key; the key '"
            + caller.name()
            + "' has the role "
            + caller.role().wireName()
            + ".");
  }

  static ErrorResponseException nameTaken(String name) {
    return problem(HttpStatus.CONFLICT, "There is already an API key named '" + name + "'.");
  }

  static ErrorResponseException configured(String name) {
    return problem(
        HttpStatus.CONFLICT,
        "The API key '"
            + name
            + "' comes from the configuration (fetchq.security.api-keys or fetchq.admin.token):"
            + " remove it there.");
  }

  static ErrorResponseException unknown(String name) {
    return problem(HttpStatus.NOT_FOUND, "There is no API key named '" + name + "'.");
  }

  private static ErrorResponseException unauthorized(String detail, String challenge) {
    var problem = problem(HttpStatus.UNAUTHORIZED, detail);
    problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
    return problem;
  }

  private static ErrorResponseException problem(HttpStatus status, String detail) {
    return new ErrorResponseException(
        status, ProblemDetail.forStatusAndDetail(status, detail), null);
  }
}
