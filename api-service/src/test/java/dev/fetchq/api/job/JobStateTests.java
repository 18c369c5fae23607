package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a dead letter about a job is out of date. */
class JobStateTests {

  private static final UUID ID = UUID.randomUUID();

  @Test
  void aDeadLetterOfTheAttemptADeadJobDiedInIsCurrent() {
    assertThat(state("DEAD", true, true, 3, 1).outdates(3)).isFalse();
  }

  @Test
  void aDeadLetterOfAnAttemptBeforeTheReplayIsOutOfDate() {
    JobState replayed = state("QUEUED", false, false, 3, 4);

    assertThat(replayed.outdates(3)).isTrue();
    assertThat(state("DEAD", true, true, 5, 4).outdates(3)).isTrue();
  }

  @Test
  void aDeadLetterOfAJobThatSucceededOrWasCancelledIsOutOfDate() {
    assertThat(state("SUCCEEDED", false, true, 1, 1).outdates(1)).isTrue();
    assertThat(state("CANCELLED", false, true, 1, 1).outdates(null)).isTrue();
  }

  @Test
  void aDeadLetterOfTheAttemptAJobStillRunsIsNotOutOfDate() {
    // The worker dead-letters first and reports the failure after: the event may be on its way.
    assertThat(state("RUNNING", false, false, 2, 1).outdates(2)).isFalse();
    assertThat(state("RUNNING", false, false, 2, 1).outdates(null)).isFalse();
  }

  private static JobState state(
      String status, boolean dead, boolean finished, int attempts, int budgetStart) {
    return new JobState(ID, status, dead, finished, attempts, budgetStart);
  }
}
