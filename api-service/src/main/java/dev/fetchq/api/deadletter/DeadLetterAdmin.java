package dev.fetchq.api.deadletter;

import com.rabbitmq.client.ShutdownSignalException;
import dev.fetchq.api.deadletter.DeadLetterSession.Taken;
import dev.fetchq.api.job.JobRecovery;
import dev.fetchq.api.job.JobState;
import dev.fetchq.api.outbox.Outbox;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * The dead-letter operations: list, replay, discard. Each holds the {@link DeadLetterLock} and
 * looks at the queue through one {@link DeadLetterSession}.
 *
 * <p><b>Replay</b> removes a dead letter only once the job it stands for is safely back: the job
 * goes DEAD → QUEUED with its job message in the outbox (one transaction), the relay publishes it
 * with confirms, and only when the outbox row is gone (= confirmed) is the dead letter
 * acknowledged. Should the session fail in between, the dead letter returns to the queue; a later
 * replay or discard then finds the job no longer DEAD at that attempt and removes it as <em>out of
 * date</em>. That rule is general: a dead letter is out of date when its job succeeded or was
 * cancelled, or moved past the dead letter's attempt ({@link JobState#outdates}). Replay and
 * discard remove out-of-date dead letters; a dead letter of a job that is alive at that very
 * attempt stays, because the job's failure may simply not be projected yet.
 */
@Service
@EnableConfigurationProperties(DeadLetterProperties.class)
class DeadLetterAdmin {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterAdmin.class);

  private final DeadLetterQueue queue;
  private final DeadLetterLock lock;
  private final JobRecovery jobs;
  private final Outbox outbox;
  private final DeadLetterMetrics metrics;
  private final DeadLetterProperties properties;

  DeadLetterAdmin(
      DeadLetterQueue queue,
      DeadLetterLock lock,
      JobRecovery jobs,
      Outbox outbox,
      DeadLetterMetrics metrics,
      DeadLetterProperties properties) {
    this.queue = queue;
    this.lock = lock;
    this.jobs = jobs;
    this.outbox = outbox;
    this.metrics = metrics;
    this.properties = properties;
  }

  /**
   * The first {@code limit} dead letters that match, oldest first; nothing is removed. The whole
   * queue is taken and returned even for a short page, which is what keeps its order (see {@link
   * DeadLetterSession}).
   */
  DeadLetterPage list(DeadLetterFilter filter, int limit) {
    return lock.call(
        () ->
            inSession(
                session -> {
                  List<DeadLetter> letters =
                      session.take(filter::matches, limit, properties.maxScan()).stream()
                          .map(Taken::letter)
                          .toList();
                  return new DeadLetterPage(
                      withJobStatus(letters),
                      session.depth(),
                      session.scanned(),
                      session.complete());
                }));
  }

  /** Replays the jobs the request names or whose dead letters match its filter. */
  ReplayResponse replay(ReplayRequest request) {
    boolean byId = request.jobIds() != null && !request.jobIds().isEmpty();
    if (byId == (request.filter() != null)) {
      throw DeadLetterProblems.badReplayRequest(
          "Give either \"jobIds\" (a non-empty list) or \"filter\" (use {} to match every dead"
              + " letter), not both.");
    }
    Set<String> ids =
        byId ? Set.copyOf(request.jobIds().stream().map(UUID::toString).toList()) : Set.of();
    DeadLetterFilter filter = byId ? null : request.filter();
    int jobLimit = byId ? Integer.MAX_VALUE : request.jobLimit();
    ReplayResponse response =
        lock.call(
            () ->
                inSession(
                    session -> {
                      // All of the queue: duplicates of a job anywhere in it go with the job.
                      List<Taken> taken =
                          session.take(
                              byId ? l -> ids.contains(l.jobId()) : filter::matches,
                              Integer.MAX_VALUE,
                              properties.maxScan());
                      List<ReplayResponse.Result> results =
                          new DeadLetterReplay(
                                  session,
                                  DeadLetterReplay.byJob(taken, jobLimit),
                                  jobs,
                                  outbox,
                                  metrics,
                                  properties.replayConfirmTimeout())
                              .run();
                      results.addAll(DeadLetterReplay.notFound(ids, results));
                      return new ReplayResponse(
                          results, session.depth(), session.scanned(), session.complete());
                    }));
    log.info(
        "Dead-letter replay: {}",
        response.results().stream()
            .collect(Collectors.groupingBy(ReplayResponse.Result::outcome, Collectors.counting())));
    return response;
  }

  /**
   * Removes every dead letter with this id. A DEAD job stays DEAD and is marked discarded.
   *
   * @throws org.springframework.web.ErrorResponseException 404 when there is none
   */
  DiscardResult discard(String id) {
    return lock.call(
        () ->
            inSession(
                session -> {
                  List<Taken> taken =
                      session.take(
                          l -> id.equals(l.jobId()), Integer.MAX_VALUE, properties.maxScan());
                  if (taken.isEmpty()) {
                    throw DeadLetterProblems.noDeadLetter(id);
                  }
                  UUID job = taken.getFirst().letter().job();
                  // Mark the job first: should the acks fail, discarding again finishes the job.
                  Optional<Instant> discardedAt =
                      job == null ? Optional.empty() : jobs.discard(job);
                  for (Taken message : taken) {
                    session.ack(message);
                  }
                  metrics.discarded(taken.size());
                  JobState state = job == null ? null : jobs.states(List.of(job)).get(job);
                  try (var _ = MDC.putCloseable("jobId", id)) {
                    log.info("Discarded {} dead letter(s) of {}", taken.size(), id);
                  }
                  return new DiscardResult(
                      id,
                      taken.size(),
                      state == null ? null : state.status(),
                      discardedAt.orElse(null));
                }));
  }

  private List<DeadLetter> withJobStatus(List<DeadLetter> letters) {
    Map<UUID, JobState> states =
        jobs.states(letters.stream().map(DeadLetter::job).filter(Objects::nonNull).toList());
    return letters.stream()
        .map(
            letter -> {
              JobState state = letter.job() == null ? null : states.get(letter.job());
              return state == null ? letter : letter.withJobStatus(state.status());
            })
        .toList();
  }

  /** The AMQP client wraps the broker's reason (a closed channel or connection) as the cause. */
  private static String describe(Exception e) {
    return e.getCause() != null ? e + " (" + e.getCause().getMessage() + ")" : e.toString();
  }

  @FunctionalInterface
  private interface SessionWork<T> {
    T run(DeadLetterSession session) throws IOException, InterruptedException;
  }

  private <T> T inSession(SessionWork<T> work) {
    try (DeadLetterSession session = queue.open()) {
      return work.run(session);
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      log.warn("Dead-letter queue unavailable: {}", describe(e));
      throw DeadLetterProblems.brokerUnavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeadLetterProblems.brokerUnavailable(e);
    }
  }
}
