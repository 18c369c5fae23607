package dev.fetchq.worker.job;

import dev.fetchq.model.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The worker's meters. All series are registered at start, so dashboards and {@code rate()} see
 * zeros instead of missing series until the first event.
 */
@Component
class WorkerMetrics {

  /** Downloads take from milliseconds to an hour: buckets spread over that whole range. */
  private static final Duration[] DOWNLOAD_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
  };

  private final Map<Disposition, Counter> jobs = new EnumMap<>(Disposition.class);
  private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
  private final Map<FailureReason, Counter> retries = new EnumMap<>(FailureReason.class);
  private final Timer succeededDownloads;
  private final Timer failedDownloads;
  private final Counter bytes;
  private final AtomicInteger inFlight = new AtomicInteger();

  WorkerMetrics(MeterRegistry registry) {
    for (Disposition disposition : Disposition.values()) {
      jobs.put(
          disposition,
          Counter.builder("fetchq.worker.jobs")
              .description("Job deliveries this worker finished, by what became of them")
              .tag("outcome", disposition.tag())
              .register(registry));
    }
    for (FailureReason reason : FailureReason.values()) {
      failures.put(
          reason,
          Counter.builder("fetchq.worker.failures")
              .description("Failed download attempts, by failure reason")
              .tag("reason", reason.name())
              .register(registry));
      retries.put(
          reason,
          Counter.builder("fetchq.worker.retries")
              .description("Retries scheduled, by the failure reason of the attempt that failed")
              .tag("reason", reason.name())
              .register(registry));
    }
    succeededDownloads = downloadTimer(registry, "succeeded");
    failedDownloads = downloadTimer(registry, "failed");
    bytes =
        Counter.builder("fetchq.worker.bytes")
            .description("Bytes downloaded into storage, finished or not")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder("fetchq.worker.inflight", inFlight, AtomicInteger::get)
        .description("Jobs this worker is working on now")
        .register(registry);
  }

  private static Timer downloadTimer(MeterRegistry registry, String outcome) {
    return Timer.builder("fetchq.worker.download.duration")
        .description("Time from contacting the origin to a stored file or a failure")
        .tag("outcome", outcome)
        .serviceLevelObjectives(DOWNLOAD_BUCKETS)
        .minimumExpectedValue(DOWNLOAD_BUCKETS[0])
        .maximumExpectedValue(DOWNLOAD_BUCKETS[DOWNLOAD_BUCKETS.length - 1])
        .register(registry);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(Disposition disposition) {
    inFlight.decrementAndGet();
    jobs.get(disposition).increment();
  }

  /** A message that could not be read as a job, so was never {@link #started()}. */
  void poison() {
    jobs.get(Disposition.POISON).increment();
  }

  void downloaded(boolean succeeded, Duration duration) {
    (succeeded ? succeededDownloads : failedDownloads).record(duration);
  }

  void failed(FailureReason reason) {
    failures.get(reason).increment();
  }

  void retried(FailureReason reason) {
    retries.get(reason).increment();
  }

  void bytesStored(long count) {
    bytes.increment(count);
  }
}
