package dev.fetchq.api.admin;

import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Operator access.
 *
 * @param token the bearer token that admin endpoints require; unset (or blank) disables them. At
 *     least 16 characters: generate one, e.g. {@code openssl rand -hex 32}.
 */
@Validated
@ConfigurationProperties("fetchq.admin")
public record AdminProperties(
    @Size(min = 16, message = "must be at least 16 characters (e.g. openssl rand -hex 32)")
        String token) {

  public AdminProperties {
    token = token == null || token.isBlank() ? null : token.strip();
  }

  boolean enabled() {
    return token != null;
  }
}
