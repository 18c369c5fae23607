package dev.fetchq.api.deadletter;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /dead-letters/replay}: either {@code jobIds} or a {@code filter}.
 *
 * @param jobIds the jobs to replay (up to 1000)
 * @param filter replay the jobs whose dead letters match; {@code {}} matches every dead letter
 * @param limit with a filter: replay at most this many jobs, oldest dead letters first (default
 *     100)
 */
record ReplayRequest(
    @Size(max = 1000) List<@NotNull UUID> jobIds,
    @Valid DeadLetterFilter filter,
    @Min(1) @Max(1000) Integer limit) {

  static final int DEFAULT_LIMIT = 100;

  int jobLimit() {
    return limit == null ? DEFAULT_LIMIT : limit;
  }
}
