package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionOperations;

/** Job metrics against the real database and broker. */
class JobMetricsIntegrationTests extends ApiIntegrationTest {

  @Autowired MeterRegistry meters;
  @Autowired JobRepository repository;
  @Autowired TransactionOperations transactions;

  @Test
  void aJobFinishedByDuplicatedAndLateEventsIsCountedAndMeasuredOnce() {
    UUID id = submit("https://example.org/once.bin");
    double finished = finished("succeeded");
    long measured = endToEnd("succeeded");
    Instant now = Instant.now();
    var succeeded =
        new JobEvent.Succeeded(
            id, 1, "w-1", now.plusSeconds(2), now, 10, "ab".repeat(32), null, "k");

    report(new JobEvent.Started(id, 1, "w-1", now));
    report(succeeded);
    report(succeeded);
    report(
        new JobEvent.Failed(
            id, 1, "w-1", now.plusSeconds(3), Failure.of(FailureReason.TIMEOUT, "late")));
    awaitEventsProjected();

    assertThat(finished("succeeded")).isEqualTo(finished + 1);
    assertThat(endToEnd("succeeded")).isEqualTo(measured + 1);
  }

  @Test
  void jobsNotYetFinalAreCountedByStatusFromThePartialIndex() {
    Map<JobStatus, Long> before = repository.countActive();

    submit("https://example.org/waiting.bin");
    UUID running = submit("https://example.org/running.bin");
    report(new JobEvent.Started(running, 1, "w-1", Instant.now()));
    awaitStatus(running, "RUNNING");

    Map<JobStatus, Long> after = repository.countActive();
    assertThat(after.getOrDefault(JobStatus.QUEUED, 0L))
        .isEqualTo(before.getOrDefault(JobStatus.QUEUED, 0L) + 1);
    assertThat(after.getOrDefault(JobStatus.RUNNING, 0L))
        .isEqualTo(before.getOrDefault(JobStatus.RUNNING, 0L) + 1);
    assertThat(after).doesNotContainKeys(JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.CANCELLED);
    assertThat(plan()).anyMatch(line -> line.contains("job_active_status"));
  }

  /** The query's plan when the database may use any index (a test table is tiny). */
  private List<String> plan() {
    return transactions.execute(
        status -> {
          jdbc.sql("set local enable_seqscan = off").update();
          return jdbc.sql("explain " + JobRepository.COUNT_ACTIVE).query(String.class).list();
        });
  }

  private double finished(String outcome) {
    return meters.get("fetchq.jobs.finished").tag("outcome", outcome).counter().count();
  }

  private long endToEnd(String outcome) {
    return meters.get("fetchq.jobs.end.to.end").tag("outcome", outcome).timer().count();
  }
}
