package dev.fetchq.api.security;

import java.time.Instant;

/**
 * An API key as {@code GET /admin/api-keys} shows it: never the key or its digest.
 *
 * @param source where the key comes from: {@code database} (created through the admin API,
 *     revocable there) or {@code configuration} (changed only by changing the configuration)
 * @param createdAt when it was created; {@code null} for a configured key
 * @param createdBy the key that created it; {@code null} for a configured key
 * @param lastUsedAt when it last authenticated a request, to the minute; for a configured key, as
 *     far as this replica knows since it started
 */
record ApiKey(
    String name,
    Role role,
    String source,
    Instant createdAt,
    String createdBy,
    Instant lastUsedAt) {

  static final String DATABASE = "database";
  static final String CONFIGURATION = "configuration";
}
