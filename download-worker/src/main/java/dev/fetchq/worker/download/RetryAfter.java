package dev.fetchq.worker.download;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP-date, which is turned into a delay from {@code now}. A value that is neither is ignored, as
 * the RFC asks of a recipient.
 */
final class RetryAfter {

  /** Longer than any sensible cap; stands for delays too long to be represented. */
  static final Duration VERY_LONG = Duration.ofDays(365);

  private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+");

  /** IMF-fixdate (the one senders must use), then the two obsolete forms recipients must read. */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  /**
   * RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}) without its weekday, which cannot be checked
   * before the century of the two-digit year is known.
   */
  private static final Pattern RFC_850 =
      Pattern.compile("[A-Za-z]+, (\\d{2}-[A-Za-z]{3}-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT)");

  private static final DateTimeFormatter RFC_850_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);

  /** asctime: {@code Sun Nov 6 08:49:37 1994}. */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

  private RetryAfter() {}

  /**
   * @param value the header's value, or {@code null} when the response had none
   * @param now the time the response was received
   * @return how long the origin asked to wait: zero for a date in the past, empty when there is no
   *     usable value
   */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    if (DELAY_SECONDS.matcher(text).matches()) {
      return Optional.of(text.length() > 10 ? VERY_LONG : Duration.ofSeconds(Long.parseLong(text)));
    }
    return httpDate(text, now)
        .map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }

  private static Optional<Instant> httpDate(String text, Instant now) {
    try {
      return Optional.of(IMF_FIXDATE.parse(text, Instant::from));
    } catch (DateTimeParseException e) {
      // try the obsolete forms
    }
    try {
      var rfc850 = RFC_850.matcher(text);
      if (rfc850.matches()) {
        var at = LocalDateTime.parse(rfc850.group(1), RFC_850_DATE).atOffset(ZoneOffset.UTC);
        // A two-digit year more than 50 years ahead means the previous century (RFC 9110 §5.6.7).
        if (at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(50))) {
          at = at.minusYears(100);
        }
        return Optional.of(at.toInstant());
      }
      return Optional.of(LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
