package dev.fetchq.api.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Job counters. Every outcome is registered at zero so that rates and alerts work before the first
 * job of that outcome.
 */
@Component
class JobMetrics {

  private final Counter submitted;
  private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);

  JobMetrics(MeterRegistry registry) {
    submitted =
        Counter.builder("fetchq.jobs.submitted")
            .description("Jobs accepted by POST /jobs")
            .register(registry);
    for (JobStatus outcome : List.of(JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.CANCELLED)) {
      finished.put(
          outcome,
          Counter.builder("fetchq.jobs.finished")
              .description("Jobs that reached a final status, by outcome")
              .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  void submitted() {
    submitted.increment();
  }

  void finished(JobStatus outcome) {
    finished.get(outcome).increment();
  }
}
