package dev.fetchq.worker.download;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The time limits of one download attempt, checked from outside the downloading thread: at most
 * {@code maxDuration} in all, and at least {@code minBytesPerSecond} over every {@code window} of
 * the body (a sliding window, starting once the response began; silence before that is the response
 * timeout's business). Times are {@link System#nanoTime()} values passed in, so the class is a pure
 * function of what it is told.
 *
 * <p>{@link #received} is called by the downloading thread only; {@link #responseStarted} and
 * {@link #check} may come from different threads.
 */
final class TransferLimits {

  private record Sample(long at, long bytes) {}

  private final Duration maxDuration;
  private final long minBytesPerSecond;
  private final Duration window;
  private final long startNanos;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private volatile long received;
  private boolean bodyStarted;

  /**
   * @param minBytesPerSecond 0 for no minimum
   */
  TransferLimits(Duration maxDuration, long minBytesPerSecond, Duration window, long startNanos) {
    this.maxDuration = maxDuration;
    this.minBytesPerSecond = minBytesPerSecond;
    this.window = window;
    this.startNanos = startNanos;
  }

  /** A response began: the speed is measured from now on (again, after a restart). */
  synchronized void responseStarted(long now) {
    bodyStarted = true;
    samples.clear();
    samples.addLast(new Sample(now, received));
  }

  void received(long bytes) {
    // One writing thread: a plain read-modify-write of the volatile is enough.
    received += bytes;
  }

  /** Which limit the attempt broke by {@code now}, if any, in words for the job's status. */
  synchronized Optional<String> check(long now) {
    if (now - startNanos >= maxDuration.toNanos()) {
      return Optional.of(
          "the attempt ran longer than fetchq.download.max-duration ("
              + text(maxDuration)
              + "); "
              + received
              + " bytes received in it");
    }
    if (minBytesPerSecond <= 0 || !bodyStarted) {
      return Optional.empty();
    }
    long bytes = received;
    samples.addLast(new Sample(now, bytes));
    long windowStart = now - window.toNanos();
    // The newest sample at or before the window's start is the baseline; older ones go.
    Sample baseline = null;
    while (samples.getFirst().at() <= windowStart) {
      baseline = samples.removeFirst();
    }
    if (baseline == null) {
      return Optional.empty();
    }
    samples.addFirst(baseline);
    double seconds = (now - baseline.at()) / 1e9;
    long delta = bytes - baseline.bytes();
    if (delta >= minBytesPerSecond * seconds) {
      return Optional.empty();
    }
    return Optional.of(
        "too slow: "
            + delta
            + " bytes in the last "
            + text(Duration.ofNanos(now - baseline.at()))
            + ", below fetchq.download.min-speed ("
            + minBytesPerSecond
            + " bytes/s over fetchq.download.min-speed-window, "
            + text(window)
            + ")");
  }

  /** How often {@link #check} is worth calling. */
  Duration tick() {
    Duration quarter = window.dividedBy(4);
    Duration shortest = Duration.ofMillis(50);
    Duration longest = Duration.ofSeconds(1);
    return quarter.compareTo(shortest) < 0
        ? shortest
        : quarter.compareTo(longest) > 0 ? longest : quarter;
  }

  /** 1h, 30s, 1.5s, 250ms. */
  static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis >= 1000) {
      return millis % 1000 == 0
          ? millis / 1000 + "s"
          : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    return millis + "ms";
  }
}
