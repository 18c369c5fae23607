package dev.fetchq.api.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller (or one handler method) as an operator endpoint: it answers only requests with
 * {@code Authorization: Bearer <fetchq.admin.token>}. Without the header the answer is 401, with a
 * wrong token 403, and while no admin token is configured every such endpoint answers 403: an admin
 * endpoint is never open.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface AdminOnly {

  /** The OpenAPI security scheme of admin endpoints, for {@code @SecurityRequirement}. */
  String SECURITY_SCHEME = "adminToken";
}
