package dev.fetchq.api.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the admin token before an {@link AdminOnly} handler runs. A refusal is thrown as an {@link
 * ErrorResponseException}, so it is rendered as a problem like every other error.
 */
class AdminTokenInterceptor implements HandlerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(AdminTokenInterceptor.class);
  private static final String BEARER = "Bearer ";

  private final byte[] expectedDigest;

  AdminTokenInterceptor(AdminProperties properties) {
    this.expectedDigest = properties.enabled() ? sha256(properties.token()) : null;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || !isAdminOnly(method)) {
      return true;
    }
    if (expectedDigest == null) {
      throw refused(
          HttpStatus.FORBIDDEN,
          "The admin API is disabled on this server: no admin token is configured"
              + " (fetchq.admin.token, env FETCHQ_ADMIN_TOKEN).");
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, 7)) {
      var refusal =
          refused(
              HttpStatus.UNAUTHORIZED,
              "This is an admin endpoint: send the admin token as 'Authorization: Bearer"
                  + " <token>'.");
      refusal.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fetchq-admin\"");
      throw refusal;
    }
    // Compare digests: constant time, and independent of the lengths of the two tokens.
    byte[] given = sha256(authorization.substring(BEARER.length()).strip());
    if (!MessageDigest.isEqual(given, expectedDigest)) {
      log.warn(
          "Refused {} {} from {}: wrong admin token",
          request.getMethod(),
          request.getRequestURI(),
          request.getRemoteAddr());
      throw refused(HttpStatus.FORBIDDEN, "The admin token is not valid.");
    }
    return true;
  }

  private static boolean isAdminOnly(HandlerMethod method) {
    return method.hasMethodAnnotation(AdminOnly.class)
        || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), AdminOnly.class);
  }

  private static ErrorResponseException refused(HttpStatus status, String detail) {
    return new ErrorResponseException(
        status, ProblemDetail.forStatusAndDetail(status, detail), null);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
