package dev.fetchq.worker.job;

import dev.fetchq.model.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The worker's meters. Every series, for every tag value, is registered at start, so dashboards and
 * {@code rate()} see zeros instead of missing series until the first event. Tags are small closed
 * sets (outcome, failure reason): never a URL or a job id.
 *
 * <p>Histograms publish fixed buckets (Prometheus {@code _bucket} series) chosen for downloads,
 * which take from milliseconds to an hour and weigh from bytes to gigabytes, so that quantiles can
 * be aggregated over all workers.
 */
@Component
class WorkerMetrics {

  /** Download durations: 10 ms to an hour. */
  static final Duration[] DOWNLOAD_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
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

  /** Time to first byte: 5 ms to a minute (beyond that the response timeout has struck). */
  static final Duration[] FIRST_BYTE_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
  };

  /** File sizes: 1 KiB to 16 GiB in powers of 4. */
  static final double[] SIZE_BUCKETS = sizeBuckets();

  private final Map<Disposition, Counter> jobs = new EnumMap<>(Disposition.class);
  private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
  private final Map<FailureReason, Counter> retries = new EnumMap<>(FailureReason.class);
  private final Map<FailureReason, Counter> deadLetters = new EnumMap<>(FailureReason.class);
  private final Timer succeededDownloads;
  private final Timer failedDownloads;
  private final Timer firstByte;
  private final DistributionSummary jobBytes;
  private final Counter bytes;
  private final Counter partialsResumed;
  private final Counter partialsRestarted;
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
      deadLetters.put(
          reason,
          Counter.builder("fetchq.worker.dead.letters")
              .description(
                  "Job messages this worker put into the dead-letter queue, by failure reason")
              .tag("reason", reason.name())
              .register(registry));
    }
    succeededDownloads = downloadTimer(registry, "succeeded");
    failedDownloads = downloadTimer(registry, "failed");
    firstByte =
        Timer.builder("fetchq.worker.time.to.first.byte")
            .description("Time from the start of a download to the origin's (final) response")
            .serviceLevelObjectives(FIRST_BYTE_BUCKETS)
            .register(registry);
    jobBytes =
        DistributionSummary.builder("fetchq.worker.job")
            .description("Size of each file stored")
            .baseUnit("bytes")
            .serviceLevelObjectives(SIZE_BUCKETS)
            .register(registry);
    bytes =
        Counter.builder("fetchq.worker.bytes")
            .description("Bytes downloaded into storage, finished or not")
            .baseUnit("bytes")
            .register(registry);
    partialsResumed = partialFiles(registry, "resumed");
    partialsRestarted = partialFiles(registry, "restarted");
    Gauge.builder("fetchq.worker.inflight", inFlight, AtomicInteger::get)
        .description("Jobs this worker is working on now")
        .register(registry);
  }

  private static Timer downloadTimer(MeterRegistry registry, String outcome) {
    return Timer.builder("fetchq.worker.download.duration")
        .description("Time from contacting the origin to a stored file or a failure")
        .tag("outcome", outcome)
        .serviceLevelObjectives(DOWNLOAD_BUCKETS)
        .register(registry);
  }

  private static Counter partialFiles(MeterRegistry registry, String outcome) {
    return Counter.builder("fetchq.worker.partial.files")
        .description(
            "Partial files of earlier attempts found by a download: continued with a range"
                + " request (resumed) or downloaded again from the start (restarted)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static double[] sizeBuckets() {
    double[] buckets = new double[13];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = 1024.0 * (1L << (2 * i));
    }
    return buckets;
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(Disposition disposition) {
    inFlight.decrementAndGet();
    jobs.get(disposition).increment();
    if (disposition == Disposition.REJECTED) {
      // The container rejects it without requeue: the broker dead-letters it, with no reason.
      deadLettered(FailureReason.UNKNOWN);
    }
  }

  /** A message that could not be read as a job, so was never {@link #started()}. */
  void poison() {
    jobs.get(Disposition.POISON).increment();
    deadLettered(FailureReason.POISON);
  }

  void downloaded(boolean succeeded, Duration duration) {
    (succeeded ? succeededDownloads : failedDownloads).record(duration);
  }

  void firstByte(Duration sinceStart) {
    firstByte.record(sinceStart);
  }

  void stored(long fileBytes) {
    jobBytes.record(fileBytes);
  }

  void failed(FailureReason reason) {
    failures.get(reason).increment();
  }

  /** A retry is confirmed in its wait queue. */
  void retried(FailureReason reason) {
    retries.get(reason).increment();
  }

  /** A job message is confirmed in (or rejected towards) the dead-letter queue. */
  void deadLettered(FailureReason reason) {
    deadLetters.get(reason).increment();
  }

  void bytesStored(long count) {
    bytes.increment(count);
  }

  void partialFile(boolean continued) {
    (continued ? partialsResumed : partialsRestarted).increment();
  }
}
