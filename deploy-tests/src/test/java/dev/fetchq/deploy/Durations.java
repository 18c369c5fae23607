package dev.fetchq.deploy;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Durations as the files write them: Compose and Prometheus ("1m30s", "90s"), Spring ("70s",
 * "500ms", or ISO-8601 "PT70S").
 */
final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

  private Durations() {}

  static Duration parse(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      return Duration.parse(text);
    }
    var matcher = PART.matcher(text);
    var total = Duration.ZERO;
    var end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        break;
      }
      var amount = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
      end = matcher.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return total;
  }
}
