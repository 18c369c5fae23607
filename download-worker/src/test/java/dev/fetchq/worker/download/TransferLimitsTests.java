package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Times are nanoseconds from an arbitrary origin, as {@link System#nanoTime()} gives them. */
class TransferLimitsTests {

  private static final long SECOND = 1_000_000_000L;

  private final TransferLimits limits =
      new TransferLimits(Duration.ofMinutes(10), 1024, Duration.ofSeconds(30), 0);

  @Test
  void aDownloadFasterThanTheMinimumIsLeftAlone() {
    limits.responseStarted(SECOND);
    for (int s = 2; s <= 120; s++) {
      limits.received(2048);
      assertThat(limits.check(s * SECOND)).as("at %d s", s).isEmpty();
    }
  }

  @Test
  void aDownloadSlowerThanTheMinimumOverAWholeWindowIsStopped() {
    limits.responseStarted(0);
    for (int s = 1; s < 30; s++) {
      limits.received(500);
      assertThat(limits.check(s * SECOND)).as("at %d s, before a whole window", s).isEmpty();
    }
    limits.received(500);

    assertThat(limits.check(30 * SECOND))
        .hasValue(
            "too slow: 15000 bytes in the last 30s, below fetchq.download.min-speed (1024 bytes/s"
                + " over fetchq.download.min-speed-window, 30s)");
  }

  @Test
  void theWindowSlidesSoABurstLongAgoDoesNotHideAStall() {
    limits.responseStarted(0);
    limits.received(10_000_000);
    assertThat(limits.check(SECOND)).isEmpty();
    for (int s = 2; s < 31; s++) {
      assertThat(limits.check(s * SECOND)).as("at %d s", s).isEmpty();
    }

    // From 1 s to 31 s nothing arrived.
    assertThat(limits.check(31 * SECOND))
        .hasValueSatisfying(why -> assertThat(why).startsWith("too slow: 0 bytes in the last 30s"));
  }

  @Test
  void aSilentOriginIsStoppedAfterAWindowEvenWithoutReads() {
    limits.responseStarted(0);

    assertThat(limits.check(29 * SECOND)).isEmpty();
    assertThat(limits.check(30 * SECOND)).isPresent();
  }

  @Test
  void theWaitForTheResponseIsNotMeasured() {
    // The response timeout covers that; the window begins with the response.
    assertThat(limits.check(100 * SECOND)).isEmpty();
    limits.responseStarted(100 * SECOND);
    limits.received(100_000);
    assertThat(limits.check(131 * SECOND)).isEmpty();
  }

  @Test
  void aRestartedResponseStartsTheWindowAgain() {
    limits.responseStarted(0);
    assertThat(limits.check(29 * SECOND)).isEmpty();
    limits.responseStarted(29 * SECOND);

    assertThat(limits.check(30 * SECOND)).isEmpty();
    assertThat(limits.check(59 * SECOND)).isPresent();
  }

  @Test
  void noMinimumSpeedMeansNoSpeedCheck() {
    var unlimited = new TransferLimits(Duration.ofMinutes(10), 0, Duration.ofSeconds(30), 0);
    unlimited.responseStarted(0);

    assertThat(unlimited.check(300 * SECOND)).isEmpty();
  }

  @Test
  void anAttemptLongerThanTheMaximumDurationIsStopped() {
    var limited = new TransferLimits(Duration.ofHours(1), 1, Duration.ofSeconds(30), 5 * SECOND);
    limited.responseStarted(5 * SECOND);
    limited.received(1_000_000_000);

    assertThat(limited.check(3604 * SECOND)).isEmpty();
    assertThat(limited.check(3605 * SECOND))
        .hasValue(
            "the attempt ran longer than fetchq.download.max-duration (1h); 1000000000 bytes"
                + " received in it");
  }

  @Test
  void checksComeAQuarterWindowApartBetween50MillisecondsAndASecond() {
    assertThat(limits.tick()).isEqualTo(Duration.ofSeconds(1));
    assertThat(new TransferLimits(Duration.ofHours(1), 1, Duration.ofSeconds(2), 0).tick())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(new TransferLimits(Duration.ofHours(1), 1, Duration.ofMillis(100), 0).tick())
        .isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(TransferLimits.text(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(TransferLimits.text(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(TransferLimits.text(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(TransferLimits.text(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(TransferLimits.text(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
