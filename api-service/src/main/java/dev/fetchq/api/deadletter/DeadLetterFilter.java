package dev.fetchq.api.deadletter;

import dev.fetchq.model.FailureReason;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Locale;

/**
 * Which dead letters a listing or a replay is about; an absent criterion matches everything.
 *
 * @param reason only this failure class ({@code POISON} for messages that are not readable jobs)
 * @param host only jobs whose URL has this host (case-insensitive, without port)
 * @param since only dead letters that failed at or after this instant
 */
record DeadLetterFilter(
    @Schema(description = "Failure class; POISON for unreadable messages") FailureReason reason,
    @Schema(description = "URL host, e.g. example.org") String host,
    @Schema(description = "ISO-8601 instant, e.g. 2026-02-01T10:00:00Z") Instant since) {

  static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);

  DeadLetterFilter {
    host = host == null || host.isBlank() ? null : host.strip().toLowerCase(Locale.ROOT);
  }

  boolean matches(DeadLetter letter) {
    return (reason == null || reason == letter.reason())
        && (host == null || host.equals(letter.host()))
        && (since == null || (letter.failedAt() != null && !letter.failedAt().isBefore(since)));
  }
}
