package dev.fetchq.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates every request to the API port with an API key, {@code Authorization: Bearer <key>}
 * or {@code X-API-Key: <key>}, and leaves the {@link Caller} for the handlers. A request without a
 * known key gets 401 before any handler, existing or not, runs. Only the API description ({@code
 * /v3/api-docs}, Swagger UI) is public; health and metrics are on the management port, which this
 * filter does not guard.
 *
 * <p>Refusals and database failures are rendered by the MVC exception handling, so they are problem
 * details like every other error (and a database outage is a 503, not a 401).
 */
@Component
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

  private static final String BEARER = "Bearer ";
  static final String API_KEY_HEADER = "X-API-Key";

  /** Paths anyone may read: the API description. Compared with the decoded, normalised path. */
  private static final List<String> PUBLIC_PREFIXES = List.of("/v3/api-docs/", "/swagger-ui/");

  private static final List<String> PUBLIC_PATHS = List.of("/v3/api-docs", "/swagger-ui.html");

  private final ApiKeys keys;
  private final AuthenticationMetrics metrics;
  private final HandlerExceptionResolver errors;

  ApiKeyAuthenticationFilter(
      ApiKeys keys,
      AuthenticationMetrics metrics,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
    this.keys = keys;
    this.metrics = metrics;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (isPublic(request)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<String> presented = presentedKey(request);
    if (presented.isEmpty()) {
      metrics.refused("missing");
      refuse(request, response, ApiKeyProblems.missingKey());
      return;
    }
    Optional<Caller> caller;
    try {
      caller = keys.authenticate(presented.get());
    } catch (DataAccessException e) {
      if (errors.resolveException(request, response, null, e) == null) {
        throw e;
      }
      return;
    }
    if (caller.isEmpty()) {
      metrics.refused("invalid");
      log.info(
          "Refused {} {} from {}: unknown API key",
          request.getMethod(),
          request.getRequestURI(),
          request.getRemoteAddr());
      refuse(request, response, ApiKeyProblems.invalidKey());
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    chain.doFilter(request, response);
  }

  /**
   * The path as the dispatcher maps it: decoded and normalised by the container (servlet path and
   * path info), never the raw request URI, in which {@code /v3/api-docs/../jobs} would look public.
   */
  private static boolean isPublic(HttpServletRequest request) {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      return false;
    }
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return PUBLIC_PATHS.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
  }

  private static Optional<String> presentedKey(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return nonBlank(authorization.substring(BEARER.length()));
    }
    return authorization == null ? nonBlank(request.getHeader(API_KEY_HEADER)) : Optional.empty();
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, ErrorResponseException refusal)
      throws IOException {
    if (errors.resolveException(request, response, null, refusal) == null) {
      response.setHeader(
          HttpHeaders.WWW_AUTHENTICATE,
          refusal.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE));
      response.sendError(refusal.getStatusCode().value());
    }
  }
}
