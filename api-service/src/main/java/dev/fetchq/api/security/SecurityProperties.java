package dev.fetchq.api.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * API keys given by configuration, next to those created through {@code POST /admin/api-keys}. Each
 * is given by its SHA-256, never by the key itself. Two forms bind to the same property:
 *
 * <pre>
 * fetchq.security.api-keys[0].name=ci
 * fetchq.security.api-keys[0].role=client
 * fetchq.security.api-keys[0].sha256=9f86d0...
 *
 * FETCHQ_SECURITY_APIKEYS=ci:client:9f86d0...,ops:admin:2c26b4...
 * </pre>
 *
 * @param apiKeys the configured keys; names and digests must be unique
 */
@Validated
@ConfigurationProperties("fetchq.security")
public record SecurityProperties(@DefaultValue List<@Valid @NotNull ConfiguredKey> apiKeys) {

  /** What a key's name may look like: it shows in logs, lists and job owners. */
  static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

  /**
   * One configured key.
   *
   * @param name what the key authenticates as (the owner of the jobs it submits)
   * @param role {@code client} or {@code admin}
   * @param sha256 the hex SHA-256 of the key, e.g. {@code printf %s "$KEY" | sha256sum}
   */
  public record ConfiguredKey(
      @NotNull
          @Pattern(
              regexp = NAME_PATTERN,
              message =
                  "must be 1-64 letters, digits, '.', '_' or '-', starting with one of the"
                      + " first two")
          String name,
      @NotNull Role role,
      @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hexadecimal digits")
          String sha256) {

    /**
     * Reads the short form {@code name:role:sha256}, which is how a key is given in one environment
     * variable ({@code FETCHQ_SECURITY_APIKEYS}, keys separated by commas).
     */
    public static ConfiguredKey valueOf(String spec) {
      String[] parts = spec.strip().split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "an API key is name:role:sha256 (e.g. ci:client:<64 hex digits>)");
      }
      return new ConfiguredKey(parts[0].strip(), Role.of(parts[1]), parts[2].strip());
    }
  }
}
