package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobStatus.CANCELLED;
import static dev.fetchq.api.job.JobStatus.DEAD;
import static dev.fetchq.api.job.JobStatus.QUEUED;
import static dev.fetchq.api.job.JobStatus.RETRY_SCHEDULED;
import static dev.fetchq.api.job.JobStatus.RUNNING;
import static dev.fetchq.api.job.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The allowed-transition table, pair by pair, against ARCHITECTURE.md's job states. */
class JobTransitionsTests {

  private static final Set<String> ALLOWED =
      Set.of(
          "QUEUED->RUNNING",
          "QUEUED->CANCELLED",
          "RUNNING->SUCCEEDED",
          "RUNNING->RETRY_SCHEDULED",
          "RUNNING->DEAD",
          "RUNNING->CANCELLED",
          "RETRY_SCHEDULED->RUNNING",
          "RETRY_SCHEDULED->CANCELLED");

  static Stream<Arguments> everyPair() {
    return Arrays.stream(JobStatus.values())
        .flatMap(from -> Arrays.stream(JobStatus.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyPair")
  void onlyTheDocumentedTransitionsAreAllowed(JobStatus from, JobStatus to) {
    assertThat(JobTransitions.allowed(from, to)).isEqualTo(ALLOWED.contains(from + "->" + to));
  }

  @Test
  void succeededDeadAndCancelledAreFinal() {
    assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isFinal))
        .containsExactlyInAnyOrder(SUCCEEDED, DEAD, CANCELLED);
    assertThat(Stream.of(QUEUED, RUNNING, RETRY_SCHEDULED)).noneMatch(JobStatus::isFinal);
  }
}
