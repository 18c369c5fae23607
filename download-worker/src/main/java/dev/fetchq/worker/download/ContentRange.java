package dev.fetchq.worker.download;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range} of a {@code 206} answer (RFC 9110 §14.4): {@code bytes first-last/total},
 * the total {@code *} when unknown.
 *
 * @param total the representation's full length, or {@code null} when the origin sent {@code *}
 */
record ContentRange(long first, long last, Long total) {

  private static final Pattern SYNTAX =
      Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  /** Empty when the header is missing or is not a satisfied byte range. */
  static Optional<ContentRange> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    var matcher = SYNTAX.matcher(header.strip());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long first = Long.parseLong(matcher.group(1));
    long last = Long.parseLong(matcher.group(2));
    Long total = matcher.group(3).equals("*") ? null : Long.parseLong(matcher.group(3));
    if (last < first || (total != null && last >= total)) {
      return Optional.empty();
    }
    return Optional.of(new ContentRange(first, last, total));
  }

  long length() {
    return last - first + 1;
  }

  @Override
  public String toString() {
    return "bytes " + first + "-" + last + "/" + (total == null ? "*" : total);
  }
}
