package dev.fetchq.api.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Hands the authenticated {@link Caller} to handlers that declare it, and refuses client keys on
 * {@link AdminOnly} handlers. Both also refuse a request that reached a handler without a caller
 * (401): the filter should have stopped it, and an endpoint must never run unauthenticated because
 * a path slipped through.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecurityProperties.class, AdminProperties.class})
class SecurityWebConfiguration implements WebMvcConfigurer {

  private final AuthenticationMetrics metrics;

  SecurityWebConfiguration(AuthenticationMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new AdminOnlyInterceptor(metrics));
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerResolver());
  }

  private static Caller caller(HttpServletRequest request) {
    if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) {
      return caller;
    }
    throw ApiKeyProblems.missingKey();
  }

  private static final class AdminOnlyInterceptor implements HandlerInterceptor {

    private final AuthenticationMetrics metrics;

    AdminOnlyInterceptor(AuthenticationMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public boolean preHandle(
        HttpServletRequest request, HttpServletResponse response, Object handler) {
      if (handler instanceof HandlerMethod method && isAdminOnly(method)) {
        Caller caller = caller(request);
        if (!caller.isAdmin()) {
          metrics.refused("forbidden");
          throw ApiKeyProblems.adminOnly(caller);
        }
      }
      return true;
    }

    private static boolean isAdminOnly(HandlerMethod method) {
      return method.hasMethodAnnotation(AdminOnly.class)
          || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), AdminOnly.class);
    }
  }

  private static final class CallerResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
      return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
        MethodParameter parameter,
        ModelAndViewContainer container,
        NativeWebRequest request,
        WebDataBinderFactory binders) {
      if (request.getAttribute(Caller.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
          instanceof Caller caller) {
        return caller;
      }
      throw ApiKeyProblems.missingKey();
    }
  }
}
