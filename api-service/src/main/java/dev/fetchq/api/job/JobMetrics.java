package dev.fetchq.api.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Job counters and the end-to-end latency histogram. Every outcome is registered at zero so that
 * rates and alerts work before the first job of that outcome.
 *
 * <p>Both are recorded when a job <em>arrives</em> at a final status, which happens once per job
 * however often its events are redelivered: the status changes under the job's row lock, and a
 * final job ignores every later event. (An operator's replay takes a dead job back to QUEUED; when
 * it ends again, it counts again, its latency still measured from its submission.)
 */
@Component
class JobMetrics {

  static final List<JobStatus> OUTCOMES =
      List.of(JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.CANCELLED);

  /** Submission to final status: 50 ms (a cancelled queued job) to an hour (a long download). */
  static final Duration[] END_TO_END_BUCKETS = {
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

  private final Counter submitted;
  private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);
  private final Map<JobStatus, Timer> endToEnd = new EnumMap<>(JobStatus.class);

  JobMetrics(MeterRegistry registry) {
    submitted =
        Counter.builder("fetchq.jobs.submitted")
            .description("Jobs accepted by POST /jobs")
            .register(registry);
    for (JobStatus outcome : OUTCOMES) {
      String tag = outcome.name().toLowerCase(Locale.ROOT);
      finished.put(
          outcome,
          Counter.builder("fetchq.jobs.finished")
              .description("Jobs that reached a final status, by outcome")
              .tag("outcome", tag)
              .register(registry));
      endToEnd.put(
          outcome,
          Timer.builder("fetchq.jobs.end.to.end")
              .description("Time from a job's submission to its final status, by outcome")
              .tag("outcome", tag)
              .serviceLevelObjectives(END_TO_END_BUCKETS)
              .register(registry));
    }
  }

  void submitted() {
    submitted.increment();
  }

  /** {@code job} has just arrived at its final status. */
  void finished(Job job) {
    JobStatus outcome = job.status();
    finished.get(outcome).increment();
    if (job.finishedAt() != null) {
      // finishedAt comes from the worker's clock: never let a skewed clock record a negative time.
      Duration latency = Duration.between(job.createdAt(), job.finishedAt());
      endToEnd.get(outcome).record(latency.isNegative() ? Duration.ZERO : latency);
    }
  }
}
