package dev.fetchq.worker.job;

import dev.fetchq.model.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides whether a failed job gets another attempt, and how long it waits for it.
 *
 * <ul>
 *   <li>A permanent failure is final at once.
 *   <li>A transient one is retried while the current budget has attempts left ({@code maxAttempts}
 *       per budget; a replay from the dead-letter queue starts a new budget).
 *   <li>The n-th retry of a budget waits in the n-th tier, the last tier repeating. If the origin
 *       sent {@code Retry-After}, it waits at least that long: in the smallest tier at least that
 *       long (the request capped at {@code maxRetryAfter}, and at the largest tier) when that is
 *       longer than the backoff tier. A short Retry-After never resets the backoff: an origin that
 *       keeps failing keeps getting longer pauses.
 *   <li>Jitter shortens the wait by a random fraction of the tier, up to {@code jitter}.
 * </ul>
 */
class FailurePolicy {

  /** How long a delivery waits whose job another delivery is downloading: at least this tier. */
  static final Duration DEFERRAL = Duration.ofSeconds(30);

  private final List<Duration> tiers;
  private final int maxAttempts;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final DoubleSupplier random;

  /**
   * @param random uniform numbers in [0, 1) for the jitter
   */
  FailurePolicy(RetryProperties properties, DoubleSupplier random) {
    this.tiers = properties.tiers();
    this.maxAttempts = properties.maxAttempts();
    this.jitter = properties.jitter();
    this.maxRetryAfter = properties.maxRetryAfter();
    this.random = random;
  }

  /**
   * @param retryAfter the delay the origin asked for, if it did
   */
  FailureDecision decide(Failure failure, Optional<Duration> retryAfter, JobDelivery delivery) {
    if (failure.reason().permanent()) {
      return new FailureDecision.DeadLetter("permanent failure");
    }
    int used = delivery.attemptsInBudget();
    if (used >= maxAttempts) {
      return new FailureDecision.DeadLetter(
          "attempts exhausted (" + used + " of " + maxAttempts + ")");
    }
    int next = delivery.attempt() + 1;
    Duration backoff = backoffTier(used);
    if (retryAfter.isPresent()) {
      Duration wanted = min(retryAfter.get(), maxRetryAfter);
      Duration tier = max(backoff, tierFor(wanted));
      // Jitter must not bring the wait below what the origin asked for.
      return new FailureDecision.Retry(tier, max(jittered(tier), min(wanted, tier)), next);
    }
    return new FailureDecision.Retry(backoff, jittered(backoff), next);
  }

  /**
   * For a delivery whose job another delivery is downloading right now: it waits in the smallest
   * tier of at least {@link #DEFERRAL} (or the largest tier) and comes back as the same attempt,
   * since it made none. Not a requeue: that would come straight back to a free consumer, spinning
   * while the other download lasts, and count toward the queue's delivery limit.
   */
  FailureDecision.Retry deferral(JobDelivery delivery) {
    Duration tier = tierFor(DEFERRAL);
    return new FailureDecision.Retry(tier, jittered(tier), delivery.attempt());
  }

  /** The n-th retry's tier (n ≥ 1); the last one repeats. */
  private Duration backoffTier(int retry) {
    return tiers.get(Math.min(retry, tiers.size()) - 1);
  }

  /** The smallest tier not shorter than {@code wanted}, or the largest tier. */
  private Duration tierFor(Duration wanted) {
    return tiers.stream()
        .filter(tier -> tier.compareTo(wanted) >= 0)
        .findFirst()
        .orElse(tiers.getLast());
  }

  private Duration jittered(Duration tier) {
    double shorter = jitter * random.getAsDouble();
    return Duration.ofMillis(Math.round(tier.toMillis() * (1 - shorter)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
