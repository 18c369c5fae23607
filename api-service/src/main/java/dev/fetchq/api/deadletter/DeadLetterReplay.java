package dev.fetchq.api.deadletter;

import dev.fetchq.api.deadletter.DeadLetterSession.Taken;
import dev.fetchq.api.job.JobRecovery;
import dev.fetchq.api.job.JobState;
import dev.fetchq.api.outbox.Outbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One replay, inside its {@link DeadLetterSession}: for each job among the taken dead letters,
 * replay it, remove out-of-date dead letters, or leave them, and say which (see {@link
 * DeadLetterAdmin} for the rules). Dead letters of replayed jobs are acknowledged only after the
 * broker confirmed their new job messages.
 */
final class DeadLetterReplay {

  /** What became of one job's dead letters before the broker confirmed anything. */
  private sealed interface Plan {
    record Done(ReplayResponse.Result result) implements Plan {}

    record Requeued(List<Taken> group, JobRecovery.Replayed replayed) implements Plan {}
  }

  private final DeadLetterSession session;
  private final List<List<Taken>> groups;
  private final JobRecovery jobs;
  private final Outbox outbox;
  private final DeadLetterMetrics metrics;
  private final Duration confirmTimeout;
  private final Map<UUID, JobState> states;

  DeadLetterReplay(
      DeadLetterSession session,
      List<List<Taken>> groups,
      JobRecovery jobs,
      Outbox outbox,
      DeadLetterMetrics metrics,
      Duration confirmTimeout) {
    this.session = session;
    this.groups = groups;
    this.jobs = jobs;
    this.outbox = outbox;
    this.metrics = metrics;
    this.confirmTimeout = confirmTimeout;
    this.states =
        jobs.states(
            groups.stream()
                .map(group -> group.getFirst().letter().job())
                .filter(Objects::nonNull)
                .toList());
  }

  List<ReplayResponse.Result> run() throws IOException, InterruptedException {
    var plans = new ArrayList<Plan>(groups.size());
    for (List<Taken> group : groups) {
      plans.add(plan(group));
    }
    Set<Long> unconfirmed =
        outbox.awaitPublished(
            plans.stream()
                .flatMap(p -> p instanceof Plan.Requeued r ? Stream.of(r) : Stream.empty())
                .map(r -> r.replayed().outboxMessageId())
                .toList(),
            confirmTimeout);
    var results = new ArrayList<ReplayResponse.Result>(plans.size());
    for (Plan plan : plans) {
      results.add(
          switch (plan) {
            case Plan.Done(ReplayResponse.Result result) -> result;
            case Plan.Requeued(List<Taken> group, JobRecovery.Replayed replayed) ->
                settle(group, replayed, unconfirmed);
          });
    }
    return results;
  }

  /** Replays the group's job, or settles the group at once when there is nothing to replay. */
  private Plan plan(List<Taken> group) throws IOException {
    DeadLetter first = group.getFirst().letter();
    int n = group.size();
    if (first.poison()) {
      return done(
          first,
          ReplayOutcome.SKIPPED_POISON,
          n,
          "Not a readable job message (reason "
              + first.reason()
              + (first.deathReason() == null ? "" : ", broker: " + first.deathReason())
              + "): it cannot be replayed. Discard it to remove it.");
    }
    JobState state = states.get(first.job());
    if (state == null) {
      return done(
          first,
          ReplayOutcome.UNKNOWN_JOB,
          n,
          "There is no such job in the database; the dead letter stays. Discard it to remove"
              + " it.");
    }
    List<Taken> stale = group.stream().filter(t -> state.outdates(t.letter().attempts())).toList();
    boolean current = stale.size() < n;
    if (state.dead() && current) {
      Optional<JobRecovery.Replayed> replayed = jobs.replay(state.id());
      if (replayed.isPresent()) {
        return new Plan.Requeued(group, replayed.get());
      }
    }
    for (Taken message : stale) {
      session.ack(message);
    }
    metrics.staleRemoved(stale.size());
    String where = "The job is " + state.status() + " at attempt " + state.attempts();
    return current
        ? done(
            first,
            ReplayOutcome.NOT_DEAD,
            n,
            where
                + ", not DEAD: its failure may not be recorded yet, or the broker dead-lettered"
                + " it while it looked alive. The dead letter stays"
                + (stale.isEmpty() ? "." : "; " + stale.size() + " out-of-date removed."))
        : done(
            first,
            ReplayOutcome.STALE_REMOVED,
            n,
            where + ": its dead letters were out of date and were removed; the job is unchanged.");
  }

  private ReplayResponse.Result settle(
      List<Taken> group, JobRecovery.Replayed replayed, Set<Long> unconfirmed) throws IOException {
    DeadLetter first = group.getFirst().letter();
    if (unconfirmed.contains(replayed.outboxMessageId())) {
      return result(
          first,
          ReplayOutcome.REPLAYED_UNCONFIRMED,
          group.size(),
          replayed.nextAttempt(),
          "The job is QUEUED again, but RabbitMQ has not confirmed its job message yet; it will"
              + " be published. Its dead letters stay until a later replay or discard removes"
              + " them as out of date.");
    }
    for (Taken message : group) {
      session.ack(message);
    }
    metrics.replayed(group.size());
    return result(
        first,
        ReplayOutcome.REPLAYED,
        group.size(),
        replayed.nextAttempt(),
        "The job is QUEUED again as attempt "
            + replayed.nextAttempt()
            + " with a fresh attempt budget.");
  }

  private Plan done(DeadLetter first, ReplayOutcome outcome, int n, String detail) {
    return new Plan.Done(result(first, outcome, n, null, detail));
  }

  private static ReplayResponse.Result result(
      DeadLetter letter, ReplayOutcome outcome, int deadLetters, Integer next, String detail) {
    return new ReplayResponse.Result(letter.jobId(), outcome, deadLetters, next, detail);
  }

  /**
   * The taken messages grouped by job, in queue order of each job's first dead letter, at most
   * {@code jobLimit} jobs. A message that is not a job message is a group of its own.
   */
  static List<List<Taken>> byJob(List<Taken> taken, int jobLimit) {
    var groups = new LinkedHashMap<String, List<Taken>>();
    for (Taken message : taken) {
      DeadLetter letter = message.letter();
      String key =
          letter.poison()
              ? "poison:" + (letter.jobId() != null ? letter.jobId() : "#" + message.tag())
              : letter.jobId();
      if (groups.containsKey(key) || groups.size() < jobLimit) {
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
      }
    }
    return new ArrayList<>(groups.values());
  }

  static List<ReplayResponse.Result> notFound(
      Set<String> requested, List<ReplayResponse.Result> results) {
    Set<String> seen =
        Set.copyOf(
            results.stream().map(ReplayResponse.Result::jobId).filter(Objects::nonNull).toList());
    return requested.stream()
        .filter(id -> !seen.contains(id))
        .sorted()
        .map(
            id ->
                new ReplayResponse.Result(
                    id,
                    ReplayOutcome.NOT_FOUND,
                    0,
                    null,
                    "No dead letter of this job is in the dead-letter queue."))
        .toList();
  }
}
