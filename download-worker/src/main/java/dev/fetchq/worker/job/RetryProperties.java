package dev.fetchq.worker.job;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How transiently failed jobs are tried again.
 *
 * <p>Each tier is a wait queue ({@code fetchq.retry.<seconds>s.v1}) with that fixed TTL, declared
 * by the worker at start. The n-th retry of a budget waits in the n-th tier; once the tiers are
 * used up, the last one repeats. Changing the tiers creates new queues; the old ones empty
 * themselves (every message in them expires back into the work queue) and can then be deleted.
 *
 * @param tiers the waits before the 1st, 2nd, ... retry; whole seconds, at least 1 s, ascending
 * @param maxAttempts attempts per budget, the first one included: after this many transient
 *     failures the job is dead-lettered. A replay from the dead-letter queue starts a new budget
 * @param jitter how much shorter than its tier a wait may randomly be, as a fraction (0.1: up to 10
 *     % shorter), so that jobs failing together do not all come back at once. The wait is set as
 *     the message's own expiration, which RabbitMQ honours only at the head of the queue: a message
 *     behind one that expires later can wait up to {@code jitter × tier} longer than its own
 *     expiration, never longer than the tier. That is the price of fixed-TTL tiers, which never
 *     block a short wait behind a long one
 * @param maxRetryAfter the longest {@code Retry-After} honoured: an origin asking for more gets the
 *     smallest tier of at least this (or the largest tier)
 */
@Validated
@ConfigurationProperties("fetchq.retry")
record RetryProperties(
    @NotEmpty @DefaultValue({"1s", "5s", "30s", "2m", "10m"}) List<@NotNull Duration> tiers,
    @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
    @DecimalMin("0.0") @DecimalMax("0.9") @DefaultValue("0.1") double jitter,
    @NotNull @DefaultValue("10m") Duration maxRetryAfter) {

  RetryProperties {
    if (tiers != null) {
      for (int i = 0; i < tiers.size(); i++) {
        Duration tier = tiers.get(i);
        if (tier == null || tier.toMillis() < 1000 || tier.toMillis() % 1000 != 0) {
          throw new IllegalArgumentException(
              "fetchq.retry.tiers must be whole seconds of at least 1s: " + tier);
        }
        if (i > 0 && tier.compareTo(tiers.get(i - 1)) <= 0) {
          throw new IllegalArgumentException(
              "fetchq.retry.tiers must be ascending: " + tiers.get(i - 1) + " then " + tier);
        }
      }
      tiers = List.copyOf(tiers);
    }
  }
}
