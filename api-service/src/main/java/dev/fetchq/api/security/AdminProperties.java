package dev.fetchq.api.security;

import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The bootstrap admin key, from before fetchq had API keys: a configured token acts as an admin key
 * named {@value #KEY_NAME}, so a deployment can create its other keys through the admin API.
 *
 * @param token the key itself (not its digest); unset or blank: no bootstrap key. At least 16
 *     characters: generate one, e.g. {@code openssl rand -hex 32}.
 */
@Validated
@ConfigurationProperties("fetchq.admin")
public record AdminProperties(
    @Size(min = 16, message = "must be at least 16 characters (e.g. openssl rand -hex 32)")
        String token) {

  /** The name the bootstrap key authenticates as, and owns jobs under. */
  static final String KEY_NAME = "admin";

  public AdminProperties {
    token = token == null || token.isBlank() ? null : token.strip();
  }

  boolean enabled() {
    return token != null;
  }
}
