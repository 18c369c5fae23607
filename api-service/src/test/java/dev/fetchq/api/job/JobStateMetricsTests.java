package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** One query feeds all three gauges, at most every few seconds, and an outage reads as NaN. */
class JobStateMetricsTests {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final AtomicInteger queries = new AtomicInteger();
  private final Deque<Map<JobStatus, Long>> answers = new ArrayDeque<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  JobStateMetricsTests() {
    new JobStateMetrics(
            () -> {
              queries.incrementAndGet();
              Map<JobStatus, Long> answer = answers.poll();
              if (answer == null) {
                throw new DataAccessResourceFailureException("database down");
              }
              return answer;
            },
            nanos::get)
        .bindTo(registry);
  }

  @Test
  void oneQueryServesEveryStatusAndIsReusedForAFewSeconds() {
    answers.add(counts(3, 1));
    answers.add(counts(0, 2));

    assertThat(gauge(JobStatus.QUEUED)).isEqualTo(3.0);
    assertThat(gauge(JobStatus.RUNNING)).isEqualTo(1.0);
    assertThat(gauge(JobStatus.RETRY_SCHEDULED)).as("absent means none").isZero();
    nanos.addAndGet(JobStateMetrics.MAX_AGE.minusMillis(1).toNanos());
    assertThat(gauge(JobStatus.QUEUED)).isEqualTo(3.0);
    assertThat(queries).hasValue(1);

    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(gauge(JobStatus.QUEUED)).isZero();
    assertThat(gauge(JobStatus.RUNNING)).isEqualTo(2.0);
    assertThat(queries).hasValue(2);
  }

  @Test
  void whileTheDatabaseCannotAnswerTheCountsAreUnknownAndNotAskedForAgainAtOnce() {
    assertThat(gauge(JobStatus.QUEUED)).isNaN();
    assertThat(gauge(JobStatus.RUNNING)).isNaN();
    assertThat(queries).hasValue(1);

    answers.add(counts(5, 0));
    nanos.addAndGet(JobStateMetrics.MAX_AGE.toNanos());
    assertThat(gauge(JobStatus.QUEUED)).isEqualTo(5.0);
  }

  private double gauge(JobStatus status) {
    return registry.get("fetchq.jobs.state").tag("status", status.name()).gauge().value();
  }

  private static Map<JobStatus, Long> counts(long queued, long running) {
    var counts = new EnumMap<JobStatus, Long>(JobStatus.class);
    if (queued > 0) {
      counts.put(JobStatus.QUEUED, queued);
    }
    if (running > 0) {
      counts.put(JobStatus.RUNNING, running);
    }
    return counts;
  }
}
