package dev.fetchq.api.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller (or one handler method) as an operator endpoint: it answers only requests
 * authenticated with a key of role {@link Role#ADMIN}. A request without a valid key gets 401 (as
 * everywhere), one with a client key 403.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface AdminOnly {}
