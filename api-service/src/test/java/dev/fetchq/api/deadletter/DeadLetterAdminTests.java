package dev.fetchq.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.fetchq.api.deadletter.DeadLetterSession.Taken;
import dev.fetchq.api.job.JobRecovery;
import dev.fetchq.api.job.JobState;
import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.FailureReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replay rules, one job at a time: a dead letter leaves the queue only after the broker
 * confirmed the job it stands for, or when it is out of date; everything else stays.
 */
class DeadLetterAdminTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  private final DeadLetterQueue queue = mock(DeadLetterQueue.class);
  private final DeadLetterSession session = mock(DeadLetterSession.class);
  private final DeadLetterLock lock = mock(DeadLetterLock.class);
  private final JobRecovery jobs = mock(JobRecovery.class);
  private final Outbox outbox = mock(Outbox.class);
  private final DeadLetterAdmin admin =
      new DeadLetterAdmin(
          queue,
          lock,
          jobs,
          outbox,
          new DeadLetterMetrics(new SimpleMeterRegistry()),
          new DeadLetterProperties(
              10_000, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)));

  @BeforeEach
  void wiring() throws Exception {
    given(lock.call(any())).willAnswer(call -> call.<Supplier<?>>getArgument(0).get());
    given(queue.open()).willReturn(session);
  }

  @Test
  void aDeadLetterLeavesOnlyAfterTheBrokerConfirmedTheReplayedJob() throws Exception {
    Taken first = taken(1, letter(JOB.toString(), 1));
    Taken duplicate = taken(2, letter(JOB.toString(), 1));
    given(session.take(any(), anyInt(), anyInt())).willReturn(List.of(first, duplicate));
    given(jobs.states(List.of(JOB))).willReturn(Map.of(JOB, dead(1)));
    given(jobs.replay(JOB)).willReturn(Optional.of(new JobRecovery.Replayed(JOB, 2, 77L)));
    given(outbox.awaitPublished(List.of(77L), Duration.ofSeconds(10))).willReturn(Set.of());

    var result = replayById().results().getFirst();

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.REPLAYED);
    assertThat(result.deadLetters()).isEqualTo(2);
    assertThat(result.nextAttempt()).isEqualTo(2);
    var order = inOrder(jobs, outbox, session);
    order.verify(jobs).replay(JOB);
    order.verify(outbox).awaitPublished(List.of(77L), Duration.ofSeconds(10));
    order.verify(session).ack(first);
    order.verify(session).ack(duplicate);
    order.verify(session).close();
  }

  @Test
  void anUnconfirmedReplayKeepsItsDeadLetters() throws Exception {
    given(session.take(any(), anyInt(), anyInt()))
        .willReturn(List.of(taken(1, letter(JOB.toString(), 1))));
    given(jobs.states(List.of(JOB))).willReturn(Map.of(JOB, dead(1)));
    given(jobs.replay(JOB)).willReturn(Optional.of(new JobRecovery.Replayed(JOB, 2, 77L)));
    given(outbox.awaitPublished(any(), any())).willReturn(Set.of(77L));

    var result = replayById().results().getFirst();

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.REPLAYED_UNCONFIRMED);
    verify(session, never()).ack(any());
  }

  @Test
  void outOfDateDeadLettersGoAndOnesOfALiveAttemptStay() throws Exception {
    Taken old = taken(1, letter(JOB.toString(), 1));
    Taken current = taken(2, letter(JOB.toString(), 2));
    given(session.take(any(), anyInt(), anyInt())).willReturn(List.of(old, current));
    given(jobs.states(List.of(JOB)))
        .willReturn(Map.of(JOB, new JobState(JOB, "RUNNING", false, false, 2, 1)));

    var result = replayById().results().getFirst();

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.NOT_DEAD);
    verify(session).ack(old);
    verify(session, never()).ack(current);
    verify(jobs, never()).replay(any());
  }

  @Test
  void aDeadJobWhoseDeadLettersAreAllOutOfDateIsNotReplayed() throws Exception {
    Taken old = taken(1, letter(JOB.toString(), 1));
    given(session.take(any(), anyInt(), anyInt())).willReturn(List.of(old));
    given(jobs.states(List.of(JOB)))
        .willReturn(Map.of(JOB, new JobState(JOB, "DEAD", true, true, 3, 2)));

    var result = replayById().results().getFirst();

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.STALE_REMOVED);
    verify(session).ack(old);
    verify(jobs, never()).replay(any());
  }

  @Test
  void poisonAndDeadLettersOfUnknownJobsStay() throws Exception {
    Taken poison = taken(1, poison(JOB.toString()));
    given(session.take(any(), anyInt(), anyInt())).willReturn(List.of(poison));

    assertThat(replayById().results().getFirst().outcome()).isEqualTo(ReplayOutcome.SKIPPED_POISON);

    Taken orphan = taken(2, letter(JOB.toString(), 1));
    given(session.take(any(), anyInt(), anyInt())).willReturn(List.of(orphan));
    given(jobs.states(List.of(JOB))).willReturn(Map.of());

    assertThat(replayById().results().getFirst().outcome()).isEqualTo(ReplayOutcome.UNKNOWN_JOB);
    verify(session, never()).ack(any());
    verify(jobs, never()).replay(any());
  }

  private ReplayResponse replayById() {
    return admin.replay(new ReplayRequest(List.of(JOB), null, null));
  }

  private static JobState dead(int attempts) {
    return new JobState(JOB, "DEAD", true, true, attempts, 1);
  }

  private static Taken taken(long tag, DeadLetter letter) {
    return new Taken(tag, letter);
  }

  private static DeadLetter letter(String jobId, int attempt) {
    return new DeadLetter(
        jobId,
        "https://example.org/a",
        "example.org",
        FailureReason.HTTP_CLIENT_ERROR,
        404,
        "Not Found",
        attempt,
        "w-1",
        Instant.parse("2026-02-01T10:00:00Z"),
        null,
        null,
        0,
        null,
        null);
  }

  private static DeadLetter poison(String messageId) {
    return new DeadLetter(
        messageId,
        null,
        null,
        FailureReason.POISON,
        null,
        null,
        null,
        null,
        null,
        "rejected",
        "fetchq.jobs.v1",
        0,
        "{oops",
        null);
  }
}
