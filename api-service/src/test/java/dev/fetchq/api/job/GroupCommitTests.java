package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

import dev.fetchq.api.outbox.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionOperations;

/** Which submissions share a transaction, and what a failing group does to each of them. */
class GroupCommitTests {

  private final JobRepository jobs = mock(JobRepository.class);
  private final Outbox outbox = mock(Outbox.class);
  private final GroupCommit groupCommit =
      new GroupCommit(jobs, outbox, TransactionOperations.withoutTransaction());

  /** The urls of each call's jobs, in call order. */
  private final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());

  private final CountDownLatch firstCommitMayEnd = new CountDownLatch(1);

  GroupCommitTests() {
    given(jobs.insertion(any()))
        .willAnswer(
            call -> new Outbox.Change(call.<Job>getArgument(0).url(), new MapSqlParameterSource()));
  }

  @AfterEach
  void stop() {
    firstCommitMayEnd.countDown();
    groupCommit.stop();
  }

  @Test
  void submissionsThatArriveDuringACommitShareTheNextOneAndABadRowFailsOnlyItsOwn()
      throws Exception {
    willAnswer(
            call -> {
              List<String> urls =
                  call.<List<Outbox.Change>>getArgument(0).stream()
                      .map(Outbox.Change::sql)
                      .toList();
              groups.add(urls);
              if (groups.size() == 1) {
                firstCommitMayEnd.await(10, TimeUnit.SECONDS);
              }
              if (urls.contains("bad")) {
                throw new IllegalStateException("bad row");
              }
              return null;
            })
        .given(outbox)
        .enqueueAllWith(anyList(), anyList());
    groupCommit.start();

    CompletableFuture<Void> first = storeAsync("first");
    awaitGroups(1);
    var next = new ArrayList<CompletableFuture<Void>>();
    for (String url : List.of("a", "b", "bad", "c")) {
      next.add(storeAsync(url));
    }
    Thread.sleep(300); // all four are waiting behind the first commit
    firstCommitMayEnd.countDown();

    first.get(10, TimeUnit.SECONDS);
    next.get(0).get(10, TimeUnit.SECONDS);
    next.get(1).get(10, TimeUnit.SECONDS);
    next.get(3).get(10, TimeUnit.SECONDS);
    assertThat(next.get(2))
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableThat()
        .withRootCauseInstanceOf(IllegalStateException.class);
    assertThat(groups.get(1)).as("one group").containsExactlyInAnyOrder("a", "b", "bad", "c");
    assertThat(groups.subList(2, groups.size()))
        .as("then each alone")
        .containsExactlyInAnyOrder(List.of("a"), List.of("b"), List.of("bad"), List.of("c"));
  }

  @Test
  void anUnreachableDatabaseFailsTheGroupAtOnce() {
    willAnswer(
            call -> {
              groups.add(List.of());
              throw new CannotCreateTransactionException("down");
            })
        .given(outbox)
        .enqueueAllWith(anyList(), anyList());
    groupCommit.start();

    assertThat(storeAsync("x"))
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableThat()
        .withRootCauseInstanceOf(CannotCreateTransactionException.class);
    assertThat(groups).hasSize(1);
  }

  @Test
  void beforeStartAndAfterStopASubmissionIsStoredOnItsOwn() {
    willAnswer(
            call -> {
              groups.add(List.of(Thread.currentThread().getName()));
              return null;
            })
        .given(outbox)
        .enqueueAllWith(anyList(), anyList());

    groupCommit.store(job("early"), null);
    groupCommit.start();
    groupCommit.stop();
    groupCommit.store(job("late"), null);

    assertThat(groups)
        .containsExactly(
            List.of(Thread.currentThread().getName()), List.of(Thread.currentThread().getName()));
  }

  @Test
  void aSubmissionFailingAloneThrowsItsOwnException() {
    willAnswer(
            call -> {
              throw new IllegalStateException("bad row");
            })
        .given(outbox)
        .enqueueAllWith(anyList(), anyList());
    groupCommit.start();

    assertThatIllegalStateException()
        .isThrownBy(() -> groupCommit.store(job("bad"), null))
        .withMessage("bad row");
  }

  private CompletableFuture<Void> storeAsync(String url) {
    return CompletableFuture.runAsync(
        () -> groupCommit.store(job(url), null), runnable -> Thread.ofVirtual().start(runnable));
  }

  private void awaitGroups(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (groups.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(groups).hasSizeGreaterThanOrEqualTo(count);
  }

  private static Job job(String url) {
    return Job.queued(UUID.randomUUID(), url, null, null, "client-a", Instant.now());
  }
}
