package dev.fetchq.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every error into an RFC 9457 problem ({@code application/problem+json}). Spring MVC's own
 * exceptions keep their status (400, 404, 405, 406, 415...); bad input answers 400 with an {@code
 * errors} list of {@code {field, message}}; a database outage answers 503; anything unexpected
 * answers 500 without internals.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

  /** One invalid input: a body field or a request parameter. */
  record InvalidField(String field, String message) {}

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<InvalidField> errors =
        ex.getBindingResult().getFieldErrors().stream()
            .map(e -> new InvalidField(e.getField(), message(e)))
            .sorted(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message))
            .toList();
    return badRequest(ex, "The request has invalid fields.", errors, headers, request);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<InvalidField> errors =
        ex.getParameterValidationResults().stream()
            .flatMap(
                result ->
                    result.getResolvableErrors().stream()
                        .map(
                            e ->
                                new InvalidField(
                                    result.getMethodParameter().getParameterName(), message(e))))
            .toList();
    return badRequest(ex, "The request has invalid parameters.", errors, headers, request);
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    var error = new InvalidField(ex.getPropertyName(), typeMismatchMessage(ex));
    return badRequest(ex, "The request has invalid parameters.", List.of(error), headers, request);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestBodyTooLargeException tooLarge = cause(ex, RequestBodyTooLargeException.class);
    if (tooLarge != null) {
      var problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.CONTENT_TOO_LARGE,
              "The request body is larger than " + tooLarge.limit() + ".");
      return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }
    DatabindException binding = cause(ex, DatabindException.class);
    if (binding != null && !binding.getPath().isEmpty()) {
      var error = new InvalidField(path(binding), "has the wrong JSON type");
      return badRequest(
          ex,
          "The request body does not match the expected fields.",
          List.of(error),
          headers,
          request);
    }
    String detail =
        cause(ex, StreamReadException.class) != null
            ? "The request body is not well-formed JSON."
            : "The request body is missing or is not a JSON object.";
    return badRequest(ex, detail, List.of(), headers, request);
  }

  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex, HttpServletRequest request) {
    log.warn(
        "Database unavailable while serving {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        ex.toString());
    var problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "The job database is unavailable. Nothing was changed; try again shortly.");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem);
  }

  /**
   * The database connection died inside a transaction. When the statement failed and the rollback
   * could not even be sent, nothing was committed: the same 503 as any outage. When the commit
   * itself failed, nobody can tell whether it took effect, and the answer says so (a retry with the
   * same {@code Idempotency-Key} is safe either way).
   */
  @ExceptionHandler(TransactionSystemException.class)
  ResponseEntity<ProblemDetail> transactionFailed(
      TransactionSystemException ex, HttpServletRequest request) {
    if (ex.getApplicationException() != null) {
      return databaseUnavailable(ex, request);
    }
    log.warn(
        "Database failed while committing {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        ex.toString());
    var problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "The job database failed while committing this request, so it may or may not have"
                + " taken effect. Retry with the same Idempotency-Key, or check before retrying.");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
    if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
      return null; // nobody is listening for an answer
    }
    log.error("Unexpected error serving {} {}", request.getMethod(), request.getRequestURI(), ex);
    var problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.");
    return ResponseEntity.internalServerError().body(problem);
  }

  private ResponseEntity<Object> badRequest(
      Exception ex,
      String detail,
      List<InvalidField> errors,
      HttpHeaders headers,
      WebRequest request) {
    var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    if (!errors.isEmpty()) {
      problem.setProperty("errors", errors);
    }
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  private static String message(MessageSourceResolvable error) {
    return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
  }

  private static String typeMismatchMessage(TypeMismatchException ex) {
    Class<?> type = ex.getRequiredType();
    if (type != null && type.isEnum()) {
      return Arrays.stream(type.getEnumConstants())
          .map(Object::toString)
          .collect(Collectors.joining(", ", "must be one of ", ""));
    }
    IllegalArgumentException invalid = cause(ex, IllegalArgumentException.class);
    return invalid != null && invalid.getMessage() != null
        ? invalid.getMessage()
        : "has an invalid value";
  }

  private static String path(JacksonException ex) {
    return ex.getPath().stream()
        .map(
            reference ->
                reference.getPropertyName() != null
                    ? reference.getPropertyName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
