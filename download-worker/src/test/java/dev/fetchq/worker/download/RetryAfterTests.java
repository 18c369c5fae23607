package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTests {

  /** A Sunday; the examples of RFC 9110 are for Sun, 06 Nov 1994 08:49:37 GMT. */
  private static final Instant NOW = Instant.parse("1994-11-06T08:49:07Z");

  @Test
  void delaySecondsAreADelay() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 2 ", NOW)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
  }

  @Test
  void anAbsurdlyLongDelayIsVeryLongNotAnOverflow() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(RetryAfter.VERY_LONG);
  }

  @Test
  void anHttpDateIsTheDelayUntilThen() {
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void theObsoleteDateFormsAreReadToo() {
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastMeansNoWait() {
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "-5",
        "1.5",
        "soon",
        "Sun, 06 Nov 1994 08:49:37",
        "Mon, 06 Nov 1994 08:49:37 GMT",
        "2026-11-27T10:00:00Z"
      })
  void anythingElseIsIgnored(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }
}
