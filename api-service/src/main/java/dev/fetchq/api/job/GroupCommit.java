package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Group commit of new jobs: concurrent submissions are stored together, their jobs and job messages
 * in one transaction, and each caller returns only once the transaction that holds its job
 * committed. Durability per request is what it was; what is shared is the commit (one WAL flush for
 * every job that arrived while the previous commit was in flight).
 *
 * <p>One committer thread takes whatever is waiting whenever it is free: nothing waits on purpose,
 * so a lone request costs one commit as before. When a group fails for another reason than an
 * unreachable database, each of its jobs is tried in a transaction of its own, so that a bad row
 * fails only its own request.
 */
@Component
class GroupCommit implements SmartLifecycle {

  /** The most jobs in one transaction. */
  static final int MAX_GROUP = 256;

  private final JobRepository jobs;
  private final Outbox outbox;
  private final TransactionOperations transactions;

  private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
  private final Object lifecycle = new Object();
  private volatile boolean running;
  private Thread committer;

  GroupCommit(JobRepository jobs, Outbox outbox, TransactionOperations transactions) {
    this.jobs = jobs;
    this.outbox = outbox;
    this.transactions = transactions;
  }

  private record Pending(Job job, Outbox.Prepared message, CompletableFuture<Void> committed) {}

  /**
   * Stores the queued job and its job message, and returns once they are committed.
   *
   * @throws RuntimeException what storing them threw; then they were not stored
   */
  void store(Job job, Outbox.Prepared message) {
    var pending = new Pending(job, message, new CompletableFuture<>());
    boolean queued;
    synchronized (lifecycle) {
      queued = running;
      if (queued) {
        waiting.add(pending);
      }
    }
    if (!queued) {
      // Not started yet, or stopped: on the caller's thread, in a transaction of its own.
      commit(List.of(pending));
    }
    try {
      pending.committed().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    }
  }

  private void run() {
    var group = new ArrayList<Pending>(MAX_GROUP);
    while (true) {
      Pending first;
      try {
        first = waiting.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (!running) {
          // Nothing is added once running is false: this drains the last ones.
          waiting.drainTo(group);
          if (!group.isEmpty()) {
            commit(group);
          }
          return;
        }
        continue;
      }
      group.add(first);
      waiting.drainTo(group, MAX_GROUP - 1);
      try {
        commit(group);
      } catch (Throwable e) {
        // Never leave a caller waiting, nor end the committer.
        group.forEach(p -> p.committed().completeExceptionally(e));
      }
      group.clear();
    }
  }

  private void commit(List<Pending> group) {
    try {
      transactions.executeWithoutResult(
          status ->
              outbox.enqueueAllWith(
                  group.stream().map(p -> jobs.insertion(p.job())).toList(),
                  group.stream().map(Pending::message).toList()));
    } catch (RuntimeException e) {
      if (group.size() == 1 || isUnreachableDatabase(e)) {
        group.forEach(p -> p.committed().completeExceptionally(e));
      } else {
        group.forEach(p -> commit(List.of(p)));
      }
      return;
    }
    group.forEach(p -> p.committed().complete(null));
  }

  /**
   * Also a commit or rollback that failed (the connection died): retrying the jobs one by one could
   * store a second copy of a group whose commit did take effect, so the whole group fails and each
   * caller is told the outcome is unknown (see the api's problem handling).
   */
  private static boolean isUnreachableDatabase(RuntimeException e) {
    return e instanceof CannotCreateTransactionException
        || e instanceof DataAccessResourceFailureException
        || e instanceof TransactionSystemException;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (!running) {
        running = true;
        committer = Thread.ofPlatform().name("job-group-commit").start(this::run);
      }
    }
  }

  @Override
  public void stop() {
    Thread stopping;
    synchronized (lifecycle) {
      running = false;
      stopping = committer;
      committer = null;
    }
    if (stopping != null) {
      try {
        stopping.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Starts before the web server and stops after it has drained, so that every request it let in is
   * committed; and before the outbox relay stops, so that the relay publishes the last jobs.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 3072;
  }
}
