package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobFixtures.CREATED;
import static dev.fetchq.api.job.JobFixtures.ID;
import static dev.fetchq.api.job.JobFixtures.NOT_FOUND;
import static dev.fetchq.api.job.JobFixtures.UNAVAILABLE;
import static dev.fetchq.api.job.JobFixtures.WORKER;
import static dev.fetchq.api.job.JobFixtures.aCancelledJob;
import static dev.fetchq.api.job.JobFixtures.aDeadJob;
import static dev.fetchq.api.job.JobFixtures.aQueuedJob;
import static dev.fetchq.api.job.JobFixtures.aRetryScheduledJob;
import static dev.fetchq.api.job.JobFixtures.aRunningJob;
import static dev.fetchq.api.job.JobFixtures.aSucceededJob;
import static dev.fetchq.api.job.JobFixtures.endOf;
import static dev.fetchq.api.job.JobFixtures.failed;
import static dev.fetchq.api.job.JobFixtures.progress;
import static dev.fetchq.api.job.JobFixtures.retryScheduled;
import static dev.fetchq.api.job.JobFixtures.startOf;
import static dev.fetchq.api.job.JobFixtures.started;
import static dev.fetchq.api.job.JobFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.JobEvent;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobTests {

  @Test
  void aNewJobIsQueuedWithNoAttempts() {
    Job job = aQueuedJob();

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.attempts()).isZero();
    assertThat(job.createdAt()).isEqualTo(CREATED);
  }

  @Nested
  class Started {

    @Test
    void theFirstStartRunsTheJob() {
      Job job = applied(aQueuedJob().apply(started(1)));

      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.startedAt()).isEqualTo(startOf(1));
      assertThat(job.attemptStartedAt()).isEqualTo(startOf(1));
      assertThat(job.bytes()).isZero();
      assertThat(job.worker()).isEqualTo(WORKER);
    }

    @Test
    void aRetryStartsTheNextAttemptAndKeepsTheFirstStartTime() {
      Job job = applied(aRetryScheduledJob(1).apply(started(2)));

      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(job.attempts()).isEqualTo(2);
      assertThat(job.startedAt()).isEqualTo(startOf(1));
      assertThat(job.attemptStartedAt()).isEqualTo(startOf(2));
      assertThat(job.nextAttemptAt()).isNull();
      assertThat(job.lastError()).isEqualTo(UNAVAILABLE);
    }

    @Test
    void aDuplicateStartChangesNothing() {
      assertIgnored(aRunningJob(1).apply(started(1)));
    }

    @Test
    void aStartArrivingAfterItsAttemptWasRescheduledIsIgnored() {
      assertIgnored(aRetryScheduledJob(1).apply(started(1)));
    }

    @Test
    void aLaterAttemptThatOvertookTheRetryEventImpliesTheRetry() {
      Job job = applied(aRunningJob(1).apply(started(2)));

      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(job.attempts()).isEqualTo(2);
      assertThat(job.attemptStartedAt()).isEqualTo(startOf(2));
    }

    @Test
    void aLateRetryEventOfTheEarlierAttemptIsThenIgnored() {
      Job job = applied(aRunningJob(1).apply(started(2)));

      assertIgnored(job.apply(retryScheduled(1)));
    }

    @Test
    void aStartOfALaterAttemptWhileQueuedMeansEarlierEventsWereLost() {
      Job job = applied(aQueuedJob().apply(started(3)));

      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(job.attempts()).isEqualTo(3);
    }
  }

  @Nested
  class Progress {

    @Test
    void updatesBytesWhileItsAttemptRuns() {
      Job job = applied(aRunningJob().apply(progress(1, 1024, 4096L)));

      assertThat(job.bytes()).isEqualTo(1024);
      assertThat(job.totalBytes()).isEqualTo(4096);
      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void keepsAKnownTotalWhenAnUpdateOmitsIt() {
      Job job = applied(aRunningJob().apply(progress(1, 1024, 4096L)));

      job = applied(job.apply(progress(1, 2048, null)));

      assertThat(job.totalBytes()).isEqualTo(4096);
    }

    @Test
    void anOlderProgressArrivingLateDoesNotGoBackwards() {
      Job job = applied(aRunningJob().apply(progress(1, 2048, 4096L)));

      assertIgnored(job.apply(progress(1, 1024, 4096L)));
    }

    @Test
    void isIgnoredBeforeItsAttemptStarted() {
      assertIgnored(aQueuedJob().apply(progress(1, 1024, null)));
      assertIgnored(aRetryScheduledJob(1).apply(progress(2, 1024, null)));
    }

    @Test
    void isIgnoredOnceItsAttemptEnded() {
      assertIgnored(aRetryScheduledJob(1).apply(progress(1, 1024, null)));
      assertIgnored(aRunningJob(2).apply(progress(1, 1024, null)));
    }
  }

  @Nested
  class Succeeded {

    @Test
    void finishesARunningJobWithWhatTheWorkerStored() {
      Job job = applied(aRunningJob().apply(succeeded(1)));

      assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.bytes()).isEqualTo(4096);
      assertThat(job.totalBytes()).isEqualTo(4096);
      assertThat(job.sha256()).isEqualTo("cd".repeat(32));
      assertThat(job.contentType()).isEqualTo("application/pdf");
      assertThat(job.storageKey()).isEqualTo("57/" + ID);
      assertThat(job.finishedAt()).isEqualTo(endOf(1));
    }

    @Test
    void arrivingBeforeItsStartStillFinishesTheJob() {
      Job job = applied(aQueuedJob().apply(succeeded(1)));

      assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.startedAt()).isEqualTo(startOf(1));
      assertThat(job.finishedAt()).isEqualTo(endOf(1));
    }

    @Test
    void theStartArrivingAfterwardsChangesNothing() {
      Job job = applied(aQueuedJob().apply(succeeded(1)));

      assertIgnored(job.apply(started(1)));
    }

    @Test
    void ofTheNextAttemptFinishesAJobWaitingForItsRetry() {
      Job job = applied(aRetryScheduledJob(1).apply(succeeded(2)));

      assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.attempts()).isEqualTo(2);
      assertThat(job.startedAt()).isEqualTo(startOf(1));
    }

    @Test
    void ofALaterAttemptFinishesAJobStillRunningAnEarlierOne() {
      Job job = applied(aRunningJob(1).apply(succeeded(2)));

      assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.attempts()).isEqualTo(2);
    }

    @Test
    void ofAnAttemptThatWasRescheduledIsIgnored() {
      assertIgnored(aRetryScheduledJob(1).apply(succeeded(1)));
    }

    @Test
    void ofAnOlderAttemptIsIgnored() {
      assertIgnored(aRunningJob(2).apply(succeeded(1)));
    }
  }

  @Nested
  class RetryScheduled {

    @Test
    void waitsForTheNextAttemptWithTheReason() {
      Job job = applied(aRunningJob(1).apply(retryScheduled(1)));

      assertThat(job.status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.lastError()).isEqualTo(UNAVAILABLE);
      assertThat(job.nextAttemptAt()).isEqualTo(endOf(1).plusSeconds(10));
      assertThat(job.finishedAt()).isNull();
    }

    @Test
    void aDuplicateChangesNothing() {
      Job job = applied(aRunningJob(1).apply(retryScheduled(1)));

      assertIgnored(job.apply(retryScheduled(1)));
    }

    @Test
    void arrivingBeforeItsStartIsApplied() {
      Job job = applied(aQueuedJob().apply(retryScheduled(1)));

      assertThat(job.status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.startedAt()).isEqualTo(endOf(1));
    }

    @Test
    void arrivingAfterTheNextAttemptStartedIsIgnored() {
      assertIgnored(aRunningJob(2).apply(retryScheduled(1)));
    }
  }

  @Nested
  class Failed {

    @Test
    void killsARunningJobWithTheReason() {
      Job job = applied(aRunningJob(3).apply(failed(3)));

      assertThat(job.status()).isEqualTo(JobStatus.DEAD);
      assertThat(job.lastError()).isEqualTo(NOT_FOUND);
      assertThat(job.finishedAt()).isEqualTo(endOf(3));
      assertThat(job.nextAttemptAt()).isNull();
    }

    @Test
    void arrivingBeforeItsStartStillKillsTheJob() {
      Job job = applied(aQueuedJob().apply(failed(1)));

      assertThat(job.status()).isEqualTo(JobStatus.DEAD);
      assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void ofTheNextAttemptKillsAJobWaitingForItsRetry() {
      Job job = applied(aRetryScheduledJob(1).apply(failed(2)));

      assertThat(job.status()).isEqualTo(JobStatus.DEAD);
      assertThat(job.attempts()).isEqualTo(2);
    }

    @Test
    void ofAnAttemptThatWasRescheduledIsIgnored() {
      assertIgnored(aRetryScheduledJob(1).apply(failed(1)));
    }

    @Test
    void ofAnOlderAttemptIsIgnored() {
      assertIgnored(aRunningJob(2).apply(failed(1)));
    }
  }

  @Nested
  class FinalJobs {

    static Stream<Arguments> finalJobsAndEvents() {
      List<Job> finals = List.of(aSucceededJob(), aDeadJob(), aCancelledJob());
      List<JobEvent> events =
          List.of(
              started(1),
              started(2),
              progress(1, 10, null),
              succeeded(1),
              succeeded(2),
              retryScheduled(1),
              retryScheduled(2),
              failed(1),
              failed(2));
      return finals.stream()
          .flatMap(job -> events.stream().map(event -> Arguments.of(job.status(), job, event)));
    }

    @ParameterizedTest(name = "{0} ignores {2}")
    @MethodSource("finalJobsAndEvents")
    void nothingMovesAFinalJob(JobStatus status, Job job, JobEvent event) {
      assertIgnored(job.apply(event));
    }

    @Test
    void aFinalJobCannotBeCancelled() {
      assertIgnored(aSucceededJob().cancel(endOf(2)));
      assertIgnored(aDeadJob().cancel(endOf(2)));
      assertIgnored(aCancelledJob().cancel(endOf(2)));
    }
  }

  @Nested
  class Cancel {

    @Test
    void cancelsAnyJobThatIsNotFinal() {
      for (Job job : List.of(aQueuedJob(), aRunningJob(), aRetryScheduledJob(1))) {
        Job cancelled = applied(job.cancel(endOf(2)));

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(endOf(2));
        assertThat(cancelled.nextAttemptAt()).isNull();
      }
    }

    @Test
    void aWorkerFinishingACancelledJobChangesNothing() {
      Job cancelled = applied(aRunningJob().cancel(endOf(2)));

      assertIgnored(cancelled.apply(succeeded(1)));
    }
  }

  @Nested
  class Replay {

    @Test
    void queuesADeadJobAgainWithABudgetStartingAfterItsLastAttempt() {
      Job dead = applied(aRunningJob(3).apply(failed(3)));

      Job replayed = applied(dead.replay());

      assertThat(replayed.status()).isEqualTo(JobStatus.QUEUED);
      assertThat(replayed.attempts()).isEqualTo(3);
      assertThat(replayed.budgetStart()).isEqualTo(4);
      assertThat(replayed.finishedAt()).isNull();
      assertThat(replayed.lastError()).isEqualTo(NOT_FOUND);
    }

    @Test
    void onlyADeadJobCanBeReplayed() {
      for (Job job :
          List.of(
              aQueuedJob(),
              aRunningJob(),
              aRetryScheduledJob(1),
              aSucceededJob(),
              aCancelledJob())) {
        assertIgnored(job.replay());
      }
    }

    @Test
    void lateEventsOfTheAttemptsBeforeTheReplayChangeNothing() {
      Job replayed = applied(aDeadJob().replay());

      for (JobEvent late :
          List.of(started(1), failed(1), retryScheduled(1), progress(1, 5, null))) {
        assertIgnored(replayed.apply(late));
      }
    }

    @Test
    void theNextAttemptRunsAndCanSucceed() {
      Job replayed = applied(aDeadJob().replay());

      Job running = applied(replayed.apply(started(2)));
      Job succeeded = applied(running.apply(succeeded(2)));

      assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(succeeded.budgetStart()).isEqualTo(2);
    }

    @Test
    void clearsAnEarlierDiscard() {
      Job discarded = applied(aDeadJob().discard(endOf(2)));

      assertThat(applied(discarded.replay()).discardedAt()).isNull();
    }
  }

  @Nested
  class Discard {

    @Test
    void marksADeadJobDiscardedAndKeepsItDead() {
      Job discarded = applied(aDeadJob().discard(endOf(2)));

      assertThat(discarded.status()).isEqualTo(JobStatus.DEAD);
      assertThat(discarded.discardedAt()).isEqualTo(endOf(2));
    }

    @Test
    void keepsTheFirstDiscardTime() {
      Job discarded = applied(aDeadJob().discard(endOf(2)));

      assertIgnored(discarded.discard(endOf(3)));
    }

    @Test
    void appliesOnlyToDeadJobs() {
      assertIgnored(aRunningJob().discard(endOf(2)));
      assertIgnored(aSucceededJob().discard(endOf(2)));
    }
  }

  @Test
  void anEventWithoutAValidAttemptIsIgnored() {
    assertIgnored(aRunningJob().apply(new JobEvent.Started(ID, 0, WORKER, startOf(1))));
  }

  @Test
  void aWholeRunWithRetriesDuplicatesAndReorderingEndsInTheRightState() {
    Job job = aQueuedJob();
    List<JobEvent> deliveries =
        List.of(
            started(1),
            progress(1, 100, 4096L),
            started(1),
            started(2), // overtook retryScheduled(1)
            retryScheduled(1),
            progress(2, 2048, 4096L),
            progress(1, 3000, 4096L),
            succeeded(2),
            started(2),
            failed(2),
            succeeded(2));
    for (JobEvent event : deliveries) {
      if (job.apply(event) instanceof Job.Decision.Applied(Job next)) {
        job = next;
      }
    }

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.attempts()).isEqualTo(2);
    assertThat(job.bytes()).isEqualTo(4096);
    assertThat(job.startedAt()).isEqualTo(startOf(1));
    assertThat(job.finishedAt()).isEqualTo(endOf(2));
  }

  private static Job applied(Job.Decision decision) {
    assertThat(decision).isInstanceOf(Job.Decision.Applied.class);
    return ((Job.Decision.Applied) decision).job();
  }

  private static void assertIgnored(Job.Decision decision) {
    assertThat(decision).isInstanceOf(Job.Decision.Ignored.class);
  }
}
