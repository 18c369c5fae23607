package dev.fetchq.api.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What an API key may do. */
public enum Role {
  /** Submit jobs, and read, list, download and cancel its own jobs. */
  CLIENT,
  /** Everything a client may do, on every job, plus dead-letter operations and key management. */
  ADMIN;

  /** The name in configuration, JSON and the database: {@code client}, {@code admin}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a role name, in any case. */
  @JsonCreator
  public static Role of(String name) {
    return Arrays.stream(values())
        .filter(role -> role.name().equalsIgnoreCase(name == null ? "" : name.strip()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("role must be client or admin"));
  }
}
