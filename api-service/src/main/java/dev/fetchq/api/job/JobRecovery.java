package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * What an operator does to dead jobs: replay them with a fresh attempt budget, or mark them
 * discarded. Used by the dead-letter admin API, which decides which dead letters to act on.
 */
@Service
public class JobRecovery {

  private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

  private final JobRepository jobs;
  private final Outbox outbox;
  private final TransactionOperations transactions;
  private final Clock clock;

  JobRecovery(JobRepository jobs, Outbox outbox, TransactionOperations transactions, Clock clock) {
    this.jobs = jobs;
    this.outbox = outbox;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A replayed job: queued again, its job message waiting in the outbox. */
  public record Replayed(UUID jobId, int nextAttempt, long outboxMessageId) {}

  /** Where each of these jobs stands; jobs that do not exist are absent from the map. */
  public Map<UUID, JobState> states(Collection<UUID> ids) {
    return jobs.findStates(ids);
  }

  /**
   * Replays a DEAD job: in one transaction it goes back to QUEUED with a fresh attempt budget that
   * starts at the attempt after its last one, and its job message (the same body as at submission,
   * headers {@link Headers#ATTEMPT} and {@link Headers#BUDGET_START} set to that attempt) is put in
   * the outbox. The relay publishes it with confirms after the commit.
   *
   * @return the replay, or empty when the job does not exist or is not DEAD
   */
  public Optional<Replayed> replay(UUID id) {
    try (var _ = MDC.putCloseable("jobId", id.toString())) {
      Optional<Replayed> replayed =
          transactions.execute(
              status ->
                  jobs.findByIdForUpdate(id)
                      .flatMap(
                          job ->
                              job.replay() instanceof Job.Decision.Applied(Job queued)
                                  ? Optional.of(requeue(queued))
                                  : Optional.empty()));
      replayed.ifPresent(
          r ->
              log.atInfo()
                  .addKeyValue("status", JobStatus.QUEUED)
                  .log(
                      "Job {} DEAD -> QUEUED (replayed from the dead-letter queue; attempt budget"
                          + " starts at {})",
                      id,
                      r.nextAttempt()));
      return replayed;
    }
  }

  /**
   * Marks a DEAD job's dead letter as discarded. The job stays DEAD.
   *
   * @return when it was discarded (now, or earlier if it already was), or empty when the job does
   *     not exist or is not DEAD
   */
  public Optional<Instant> discard(UUID id) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try (var _ = MDC.putCloseable("jobId", id.toString())) {
      return transactions.execute(
          status ->
              jobs.findByIdForUpdate(id)
                  .filter(job -> job.status() == JobStatus.DEAD)
                  .map(
                      job -> {
                        if (job.discard(at) instanceof Job.Decision.Applied(Job discarded)) {
                          jobs.update(discarded);
                          log.info("Job {} stays DEAD: its dead letter was discarded", id);
                          return at;
                        }
                        return job.discardedAt();
                      }));
    }
  }

  private Replayed requeue(Job job) {
    jobs.update(job);
    int next = job.budgetStart();
    long outboxId =
        outbox.enqueue(
            Topology.JOBS_EXCHANGE,
            Topology.JOBS_ROUTING_KEY,
            job.id().toString(),
            Map.of(Headers.ATTEMPT, next, Headers.BUDGET_START, next),
            job.command());
    return new Replayed(job.id(), next, outboxId);
  }
}
