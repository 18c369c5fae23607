package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobStatus.CANCELLED;
import static dev.fetchq.api.job.JobStatus.DEAD;
import static dev.fetchq.api.job.JobStatus.QUEUED;
import static dev.fetchq.api.job.JobStatus.RETRY_SCHEDULED;
import static dev.fetchq.api.job.JobStatus.RUNNING;
import static dev.fetchq.api.job.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.job.JobTransitions.Cause;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The allowed-transition table, pair by pair, against ARCHITECTURE.md's job states. */
class JobTransitionsTests {

  private static final Map<String, Cause> ALLOWED =
      Map.of(
          "QUEUED->RUNNING", Cause.WORKER,
          "QUEUED->CANCELLED", Cause.CLIENT,
          "RUNNING->SUCCEEDED", Cause.WORKER,
          "RUNNING->RETRY_SCHEDULED", Cause.WORKER,
          "RUNNING->DEAD", Cause.WORKER,
          "RUNNING->CANCELLED", Cause.CLIENT,
          "RETRY_SCHEDULED->RUNNING", Cause.WORKER,
          "RETRY_SCHEDULED->CANCELLED", Cause.CLIENT,
          "DEAD->QUEUED", Cause.OPERATOR);

  static Stream<Arguments> everyPair() {
    return Arrays.stream(JobStatus.values())
        .flatMap(from -> Arrays.stream(JobStatus.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyPair")
  void onlyTheDocumentedTransitionsAreAllowed(JobStatus from, JobStatus to) {
    Cause expected = ALLOWED.get(from + "->" + to);

    assertThat(JobTransitions.allowed(from, to)).isEqualTo(expected != null);
    for (Cause cause : Cause.values()) {
      assertThat(JobTransitions.allowed(from, to, cause))
          .as("%s -> %s by %s", from, to, cause)
          .isEqualTo(cause == expected);
    }
  }

  @Test
  void succeededDeadAndCancelledAreFinal() {
    assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isFinal))
        .containsExactlyInAnyOrder(SUCCEEDED, DEAD, CANCELLED);
    assertThat(Stream.of(QUEUED, RUNNING, RETRY_SCHEDULED)).noneMatch(JobStatus::isFinal);
  }

  @Test
  void onlyAnOperatorsReplayLeavesDead() {
    assertThat(JobTransitions.allowed(DEAD, QUEUED, Cause.OPERATOR)).isTrue();
    assertThat(JobTransitions.allowed(DEAD, QUEUED, Cause.WORKER)).isFalse();
    assertThat(JobTransitions.allowed(DEAD, QUEUED, Cause.CLIENT)).isFalse();
  }
}
