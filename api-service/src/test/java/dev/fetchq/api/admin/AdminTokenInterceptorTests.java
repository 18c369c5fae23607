package dev.fetchq.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.method.HandlerMethod;

class AdminTokenInterceptorTests {

  private static final String TOKEN = "s3cret-admin-token-42";

  @AdminOnly
  static class AdminEndpoint {
    public void handle() {}
  }

  static class PublicEndpoint {
    public void handle() {}

    @AdminOnly
    public void adminOnly() {}
  }

  @Test
  void theRightTokenPasses() {
    assertThat(interceptor(TOKEN).preHandle(request("Bearer " + TOKEN), response(), admin()))
        .isTrue();
    assertThat(interceptor(TOKEN).preHandle(request("bearer " + TOKEN), response(), admin()))
        .isTrue();
  }

  @Test
  void noTokenIs401WithAChallenge() {
    var refusal = refusal(interceptor(TOKEN), request(null), admin());

    assertThat(refusal.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(refusal.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer");
    assertThat(refusal(interceptor(TOKEN), request("Basic YTpi"), admin()).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void aWrongTokenIs403() {
    assertThat(refusal(interceptor(TOKEN), request("Bearer nope"), admin()).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            refusal(interceptor(TOKEN), request("Bearer " + TOKEN + "x"), admin()).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
  }

  @Test
  void withoutAConfiguredTokenAdminEndpointsAreClosedNotOpen() {
    var refusal = refusal(interceptor(null), request("Bearer " + TOKEN), admin());

    assertThat(refusal.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(refusal.getBody().getDetail()).contains("fetchq.admin.token");
    assertThat(refusal(interceptor("  "), request(null), admin()).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
  }

  @Test
  void otherEndpointsNeedNoToken() throws Exception {
    var publicHandler = handler(new PublicEndpoint(), "handle");

    assertThat(interceptor(TOKEN).preHandle(request(null), response(), publicHandler)).isTrue();
    assertThat(interceptor(null).preHandle(request(null), response(), publicHandler)).isTrue();
    assertThat(
            refusal(interceptor(TOKEN), request(null), handler(new PublicEndpoint(), "adminOnly"))
                .getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  private static AdminTokenInterceptor interceptor(String token) {
    return new AdminTokenInterceptor(new AdminProperties(token));
  }

  private static ErrorResponseException refusal(
      AdminTokenInterceptor interceptor, MockHttpServletRequest request, HandlerMethod handler) {
    return assertThatExceptionOfType(ErrorResponseException.class)
        .isThrownBy(() -> interceptor.preHandle(request, response(), handler))
        .actual();
  }

  private static HandlerMethod admin() {
    try {
      return handler(new AdminEndpoint(), "handle");
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HandlerMethod handler(Object bean, String name) throws NoSuchMethodException {
    Method method = bean.getClass().getMethod(name);
    return new HandlerMethod(bean, method);
  }

  private static MockHttpServletRequest request(String authorization) {
    var request = new MockHttpServletRequest("GET", "/dead-letters");
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    return request;
  }

  private static MockHttpServletResponse response() {
    return new MockHttpServletResponse();
  }
}
