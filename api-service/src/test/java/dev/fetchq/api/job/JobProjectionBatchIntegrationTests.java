package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.api.job.JobProjection.Delivered;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batches of events in one transaction against the real database: a batch ends exactly where the
 * same events one by one end, whatever their order and duplicates, and concurrent batches that
 * share jobs neither deadlock nor lose an event.
 */
class JobProjectionBatchIntegrationTests extends ApiIntegrationTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final Failure UNAVAILABLE =
      Failure.http(FailureReason.HTTP_TRANSIENT, 503, "Service Unavailable");
  private static final Failure GONE = Failure.http(FailureReason.HTTP_CLIENT_ERROR, 410, "Gone");

  @Autowired JobProjection projection;
  @Autowired JobRepository jobs;
  @Autowired JobAttemptRepository attempts;
  @Autowired JobIdGenerator ids;

  /**
   * A queued job of the test client, stored without its job message: these tests play the worker
   * for many jobs, and unread job messages would only slow down tests that look for theirs.
   */
  private UUID aQueuedJob(String url) {
    Job job =
        Job.queued(
            ids.next(), url, null, null, CLIENT, Instant.now().truncatedTo(ChronoUnit.MICROS));
    var insertion = jobs.insertion(job);
    jdbc.sql(insertion.sql()).paramSource(insertion.parameters()).update();
    return job.id();
  }

  /** Two attempts, a retry between them, progress, and an end given as a parameter. */
  private static List<JobEvent> history(UUID id, boolean succeeds) {
    var events = new ArrayList<JobEvent>();
    events.add(new JobEvent.Started(id, 1, "w-1", START));
    events.add(new JobEvent.Progress(id, 1, "w-1", START.plusSeconds(1), 100, 1000L));
    events.add(
        new JobEvent.RetryScheduled(
            id, 1, "w-1", START.plusSeconds(2), UNAVAILABLE, 2, START.plusSeconds(32)));
    events.add(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(32)));
    events.add(new JobEvent.Progress(id, 2, "w-2", START.plusSeconds(33), 500, 1000L));
    events.add(
        succeeds
            ? new JobEvent.Succeeded(
                id,
                2,
                "w-2",
                START.plusSeconds(40),
                START.plusSeconds(32),
                1000,
                "ab".repeat(32),
                "application/pdf",
                "k/" + id)
            : new JobEvent.Failed(id, 2, "w-2", START.plusSeconds(40), GONE));
    return events;
  }

  @Test
  void aBatchEndsWhereTheSameEventsOneByOneEndWhateverTheirOrderAndDuplicates() {
    var random = new Random(20261127L);
    for (int round = 0; round < 12; round++) {
      boolean succeeds = round % 2 == 0;
      UUID batched = aQueuedJob("https://example.org/batched-" + round);
      UUID single = aQueuedJob("https://example.org/single-" + round);
      List<Integer> order = shuffledWithDuplicates(history(batched, succeeds).size(), random);

      projection.applyAll(
          pick(history(batched, succeeds), order).stream().map(Delivered::new).toList());
      pick(history(single, succeeds), order).forEach(projection::apply);

      assertThat(comparable(batched))
          .as("round %d, order %s", round, order)
          .isEqualTo(comparable(single));
    }
  }

  @Test
  void eventsOfSeveralJobsMixedInOneBatchApplyEachToItsJobInOrder() {
    UUID first = aQueuedJob("https://example.org/mixed-1");
    UUID second = aQueuedJob("https://example.org/mixed-2");
    UUID unknown = UUID.randomUUID();
    List<JobEvent> a = history(first, true);
    List<JobEvent> b = history(second, false);
    var batch = new ArrayList<JobEvent>();
    for (int i = 0; i < a.size(); i++) {
      batch.add(a.get(i));
      batch.add(new JobEvent.Started(unknown, 1, "w-9", START)); // dropped, not fatal
      batch.add(b.get(i));
    }

    projection.applyAll(batch.stream().map(Delivered::new).toList());

    Job succeeded = jobs.findById(first).orElseThrow();
    assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(succeeded.attempts()).isEqualTo(2);
    assertThat(succeeded.bytes()).isEqualTo(1000);
    Job dead = jobs.findById(second).orElseThrow();
    assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
    assertThat(dead.lastError()).isEqualTo(GONE);
    assertThat(attempts.findByJob(first))
        .extracting(JobAttempt::outcome)
        .containsExactly(AttemptOutcome.RETRY_SCHEDULED, AttemptOutcome.SUCCEEDED);
    assertThat(attempts.findByJob(second))
        .extracting(JobAttempt::outcome)
        .containsExactly(AttemptOutcome.RETRY_SCHEDULED, AttemptOutcome.FAILED);
    assertThat(jobs.findById(unknown)).isEmpty();
  }

  /**
   * Two consumers' batches that share every job, one listing the jobs in one order and the other in
   * the reverse order: without a consistent lock order they would deadlock.
   */
  @Test
  void concurrentBatchesThatShareJobsNeitherDeadlockNorLoseAnEvent() throws Exception {
    for (int round = 0; round < 5; round++) {
      var jobIds = new ArrayList<UUID>();
      for (int i = 0; i < 20; i++) {
        jobIds.add(aQueuedJob("https://example.org/concurrent-" + round + "-" + i));
      }
      List<UUID> reversed = new ArrayList<>(jobIds);
      Collections.reverse(reversed);
      var barrier = new CyclicBarrier(2);
      CompletableFuture<Void> starts =
          applyAfter(barrier, jobIds, id -> new JobEvent.Started(id, 1, "w-1", START));
      CompletableFuture<Void> ends =
          applyAfter(
              barrier,
              reversed,
              id ->
                  new JobEvent.Succeeded(
                      id, 1, "w-1", START.plusSeconds(1), START, 7, "cd".repeat(32), null, "k"));

      CompletableFuture.allOf(starts, ends).get(30, TimeUnit.SECONDS);

      for (UUID id : jobIds) {
        Job job = jobs.findById(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.startedAt()).isEqualTo(START);
        assertThat(attempts.findByJob(id))
            .singleElement()
            .satisfies(
                attempt -> {
                  assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
                  assertThat(attempt.startedAt()).isEqualTo(START);
                });
      }
    }
  }

  private CompletableFuture<Void> applyAfter(
      CyclicBarrier barrier, List<UUID> jobIds, Function<UUID, JobEvent> event) {
    // A thread of its own each: the common pool may have a single thread on a small machine.
    return CompletableFuture.runAsync(
        () -> {
          try {
            barrier.await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          // Several small batches, so that the two threads interleave.
          for (int from = 0; from < jobIds.size(); from += 5) {
            projection.applyAll(
                jobIds.subList(from, from + 5).stream().map(event).map(Delivered::new).toList());
          }
        },
        runnable -> Thread.ofPlatform().name("batch-applier").start(runnable));
  }

  /** Indexes 0..n-1 shuffled, with a few of them repeated. */
  private static List<Integer> shuffledWithDuplicates(int n, Random random) {
    var order = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = 0; i < 3; i++) {
      order.add(random.nextInt(n));
    }
    Collections.shuffle(order, random);
    return order;
  }

  private static List<JobEvent> pick(List<JobEvent> events, List<Integer> order) {
    return order.stream().map(events::get).toList();
  }

  /** What GET /jobs/{id} shows about the job, less what differs between two jobs by design. */
  private JsonNode comparable(UUID id) {
    var view = (ObjectNode) job(id);
    view.remove(List.of("id", "url", "createdAt", "filename", "contentUrl"));
    return view;
  }
}
