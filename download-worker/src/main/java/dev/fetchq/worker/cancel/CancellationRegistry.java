package dev.fetchq.worker.cancel;

import dev.fetchq.model.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The jobs this process knows to be cancelled, and the downloads running here that a cancellation
 * must stop.
 *
 * <p>A cancellation is kept as long as the control stream keeps it ({@link
 * Topology#CONTROL_STREAM_MAX_AGE}): a job still waiting longer than that was not cancelled as far
 * as a newly started worker can tell either. One lock guards both maps, so a download that
 * registers while its cancellation arrives is always stopped: either the registration sees the
 * cancellation or the cancellation sees the registration.
 */
@Component
public class CancellationRegistry {

  private static final Logger log = LoggerFactory.getLogger(CancellationRegistry.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

  private final Clock clock;
  private final Duration retention;
  private final Map<UUID, Instant> cancelled = new HashMap<>();
  private final Map<UUID, List<Runnable>> running = new HashMap<>();
  private Instant nextSweep;

  @Autowired
  CancellationRegistry(Clock clock) {
    this(clock, maxAge(Topology.CONTROL_STREAM_MAX_AGE));
  }

  CancellationRegistry(Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
    this.nextSweep = clock.instant().plus(SWEEP_INTERVAL);
  }

  /**
   * Records that {@code jobId} was cancelled at {@code at} (when the api-service cancelled it; now,
   * if unknown) and stops its downloads running here. Idempotent.
   */
  public void cancel(UUID jobId, Instant at) {
    List<Runnable> toStop;
    synchronized (this) {
      cancelled.putIfAbsent(jobId, at != null ? at : clock.instant());
      toStop = List.copyOf(running.getOrDefault(jobId, List.of()));
      sweepIfDue();
    }
    for (Runnable stop : toStop) {
      try (var _ = MDC.putCloseable("jobId", jobId.toString())) {
        log.info("Job {}: cancelled while downloading here, stopping it", jobId);
      }
      stop.run();
    }
  }

  public synchronized boolean isCancelled(UUID jobId) {
    return cancelled.containsKey(jobId);
  }

  /**
   * Registers a download of {@code jobId} that {@code stop} aborts. If the job is already
   * cancelled, {@code stop} runs at once, before this returns.
   *
   * @return closes the registration once the download is over
   */
  public Registration register(UUID jobId, Runnable stop) {
    boolean alreadyCancelled;
    synchronized (this) {
      running.computeIfAbsent(jobId, id -> new ArrayList<>(1)).add(stop);
      alreadyCancelled = cancelled.containsKey(jobId);
    }
    if (alreadyCancelled) {
      stop.run();
    }
    return () -> unregister(jobId, stop);
  }

  /** How many cancellations are remembered. */
  public synchronized int size() {
    return cancelled.size();
  }

  private synchronized void unregister(UUID jobId, Runnable stop) {
    List<Runnable> stops = running.get(jobId);
    if (stops != null) {
      stops.remove(stop);
      if (stops.isEmpty()) {
        running.remove(jobId);
      }
    }
  }

  private void sweepIfDue() {
    Instant now = clock.instant();
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(SWEEP_INTERVAL);
    Instant oldest = now.minus(retention);
    cancelled.values().removeIf(at -> at.isBefore(oldest));
  }

  /** A running download's registration; closing it is idempotent. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static final Pattern MAX_AGE = Pattern.compile("(\\d+)([YMDhms])");

  /** Reads RabbitMQ's {@code x-max-age} syntax: a number and one of Y, M, D, h, m, s. */
  static Duration maxAge(String value) {
    var matcher = MAX_AGE.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not an x-max-age: " + value);
    }
    long n = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "Y" -> Duration.ofDays(365 * n);
      case "M" -> Duration.ofDays(30 * n);
      case "D" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
