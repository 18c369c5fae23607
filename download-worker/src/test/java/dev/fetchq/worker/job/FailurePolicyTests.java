package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class FailurePolicyTests {

  private static final List<Duration> DEFAULT_TIERS =
      List.of(seconds(1), seconds(5), seconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));
  private static final Failure UNAVAILABLE = Failure.http(FailureReason.HTTP_TRANSIENT, 503, "x");

  private final FailurePolicy policy = policy(DEFAULT_TIERS, 5, 0, Duration.ofMinutes(10));

  @ParameterizedTest
  @EnumSource(
      value = FailureReason.class,
      names = {
        "HTTP_CLIENT_ERROR",
        "INVALID_URL",
        "BLOCKED_DESTINATION",
        "TOO_LARGE",
        "CHECKSUM_MISMATCH",
        "POISON"
      })
  void aPermanentFailureIsDeadLetteredAtOnce(FailureReason reason) {
    assertThat(policy.decide(Failure.of(reason, "x"), Optional.empty(), delivery(1, 1)))
        .isEqualTo(new FailureDecision.DeadLetter("permanent failure"));
  }

  @ParameterizedTest
  @EnumSource(
      value = FailureReason.class,
      names = {"HTTP_TRANSIENT", "TIMEOUT", "CONNECTION", "DNS", "STORAGE", "UNKNOWN"})
  void aTransientFailureIsRetriedAfterTheFirstTier(FailureReason reason) {
    assertThat(policy.decide(Failure.of(reason, "x"), Optional.empty(), delivery(1, 1)))
        .isEqualTo(new FailureDecision.Retry(seconds(1), seconds(1), 2));
  }

  @ParameterizedTest(name = "attempt {0} waits {1} s")
  @CsvSource({"1, 1", "2, 5", "3, 30", "4, 120", "5, 600", "6, 600", "9, 600"})
  void theNthRetryWaitsInTheNthTierAndTheLastTierRepeats(int attempt, long tierSeconds) {
    var lenient = policy(DEFAULT_TIERS, 10, 0, Duration.ofMinutes(10));

    var decision = lenient.decide(UNAVAILABLE, Optional.empty(), delivery(attempt, 1));

    assertThat(decision)
        .isEqualTo(
            new FailureDecision.Retry(seconds(tierSeconds), seconds(tierSeconds), attempt + 1));
  }

  @Test
  void theLastAttemptOfTheBudgetIsDeadLettered() {
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(4, 1)))
        .isInstanceOf(FailureDecision.Retry.class);
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(5, 1)))
        .isEqualTo(new FailureDecision.DeadLetter("attempts exhausted (5 of 5)"));
  }

  @Test
  void aReplayedJobCountsItsAttemptsFromTheStartOfItsNewBudget() {
    // Replayed from the dead-letter queue after attempt 5: the budget starts at attempt 6.
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(6, 6)))
        .isEqualTo(new FailureDecision.Retry(seconds(1), seconds(1), 7));
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(7, 6)))
        .isEqualTo(new FailureDecision.Retry(seconds(5), seconds(5), 8));
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(10, 6)))
        .isEqualTo(new FailureDecision.DeadLetter("attempts exhausted (5 of 5)"));
  }

  @Test
  void aBudgetStartBeyondTheAttemptCountsAsTheBudgetsFirstAttempt() {
    assertThat(policy.decide(UNAVAILABLE, Optional.empty(), delivery(2, 9)))
        .isEqualTo(new FailureDecision.Retry(seconds(1), seconds(1), 3));
  }

  @ParameterizedTest(name = "Retry-After {0} s waits in the {1} s tier")
  @CsvSource({"0, 1", "1, 1", "2, 5", "5, 5", "6, 30", "31, 120", "599, 600", "600, 600"})
  void retryAfterPicksTheSmallestTierThatIsNotShorter(long retryAfter, long tierSeconds) {
    var decision = policy.decide(UNAVAILABLE, Optional.of(seconds(retryAfter)), delivery(1, 1));

    assertThat(decision)
        .isEqualTo(new FailureDecision.Retry(seconds(tierSeconds), seconds(tierSeconds), 2));
  }

  @Test
  void aShortRetryAfterDoesNotResetTheBackoff() {
    // The 4th retry waits 2 minutes; the origin asked for only 2 seconds.
    assertThat(policy.decide(UNAVAILABLE, Optional.of(seconds(2)), delivery(4, 1)))
        .isEqualTo(new FailureDecision.Retry(seconds(120), seconds(120), 5));
  }

  @Test
  void aLongRetryAfterLengthensTheBackoff() {
    // The 2nd retry would wait 5 seconds; the origin asked for 20.
    assertThat(policy.decide(UNAVAILABLE, Optional.of(seconds(20)), delivery(2, 1)))
        .isEqualTo(new FailureDecision.Retry(seconds(30), seconds(30), 3));
  }

  @Test
  void retryAfterIsCappedByTheConfiguration() {
    var capped = policy(DEFAULT_TIERS, 5, 0, Duration.ofMinutes(1));

    assertThat(capped.decide(UNAVAILABLE, Optional.of(Duration.ofHours(3)), delivery(1, 1)))
        .isEqualTo(new FailureDecision.Retry(Duration.ofMinutes(2), Duration.ofMinutes(2), 2));
  }

  @Test
  void retryAfterLongerThanTheLargestTierWaitsTheLargestTier() {
    var generous = policy(DEFAULT_TIERS, 5, 0, Duration.ofHours(1));

    assertThat(generous.decide(UNAVAILABLE, Optional.of(Duration.ofMinutes(30)), delivery(1, 1)))
        .isEqualTo(new FailureDecision.Retry(Duration.ofMinutes(10), Duration.ofMinutes(10), 2));
  }

  @Test
  void aPermanentFailureIsDeadLetteredEvenWithRetryAfter() {
    var gone = Failure.http(FailureReason.HTTP_CLIENT_ERROR, 410, "HTTP 410");

    assertThat(policy.decide(gone, Optional.of(seconds(1)), delivery(1, 1)))
        .isInstanceOf(FailureDecision.DeadLetter.class);
  }

  @Test
  void jitterOnlyShortensTheWaitAndByAtMostTheConfiguredFraction() {
    var random = new SplittableRandom(42);
    var jittered = policy(DEFAULT_TIERS, 10, 0.2, Duration.ofMinutes(10), random::nextDouble);

    long[] delays = new long[1000];
    for (int i = 0; i < delays.length; i++) {
      var retry =
          (FailureDecision.Retry) jittered.decide(UNAVAILABLE, Optional.empty(), delivery(3, 1));
      assertThat(retry.tier()).isEqualTo(seconds(30));
      delays[i] = retry.delay().toMillis();
    }

    var stats = Arrays.stream(delays).summaryStatistics();
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(24_000);
    assertThat(stats.getMax()).isLessThanOrEqualTo(30_000);
    // Spread over the whole range, not stuck at one end.
    assertThat(stats.getMin()).isLessThan(24_300);
    assertThat(stats.getMax()).isGreaterThan(29_700);
  }

  @Test
  void jitterNeverShortensTheWaitBelowRetryAfter() {
    var jittered =
        policy(List.of(seconds(1), seconds(5)), 5, 0.5, Duration.ofMinutes(10), () -> 0.99);

    var retry =
        (FailureDecision.Retry)
            jittered.decide(UNAVAILABLE, Optional.of(seconds(3)), delivery(1, 1));

    assertThat(retry.tier()).isEqualTo(seconds(5));
    assertThat(retry.delay()).isEqualTo(seconds(3));
  }

  @Test
  void aDeliveryDeferredForAnotherDeliveryOfItsJobWaitsAtLeastThirtySecondsAsTheSameAttempt() {
    var decision = policy.deferral(delivery(3, 1));

    assertThat(decision).isEqualTo(new FailureDecision.Retry(seconds(30), seconds(30), 3));
  }

  @Test
  void withOnlyShortTiersADeferralWaitsTheLongest() {
    var shortTiers = policy(List.of(seconds(1), seconds(2), seconds(3)), 3, 0, seconds(10));

    assertThat(shortTiers.deferral(delivery(1, 1)))
        .isEqualTo(new FailureDecision.Retry(seconds(3), seconds(3), 1));
  }

  private static FailurePolicy policy(
      List<Duration> tiers, int maxAttempts, double jitter, Duration maxRetryAfter) {
    return policy(tiers, maxAttempts, jitter, maxRetryAfter, () -> 0.5);
  }

  private static FailurePolicy policy(
      List<Duration> tiers,
      int maxAttempts,
      double jitter,
      Duration maxRetryAfter,
      DoubleSupplier random) {
    return new FailurePolicy(
        new RetryProperties(tiers, maxAttempts, jitter, maxRetryAfter), random);
  }

  private static JobDelivery delivery(int attempt, int budgetStart) {
    var job = new DownloadJob(UUID.randomUUID(), "http://h/x", null);
    return new JobDelivery(
        job, attempt, budgetStart, new Message(new byte[0], new MessageProperties()));
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
