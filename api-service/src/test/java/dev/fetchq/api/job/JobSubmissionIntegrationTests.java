package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Submissions against the real database: a 202 only once the job and its message are committed,
 * also for many concurrent requests, and a job with its job message written by one statement: both,
 * or neither.
 */
class JobSubmissionIntegrationTests extends ApiIntegrationTest {

  @Autowired JobRepository jobs;
  @Autowired Outbox outbox;
  @Autowired TransactionOperations transactions;
  @Autowired DataSource dataSource;

  @Test
  void noSubmissionIsAcceptedBeforeItsJobIsCommitted() throws Exception {
    CompletableFuture<MvcTestResult> answer;
    try (Connection blocker = dataSource.getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        // Conflicts with every insert into the outbox until this transaction ends.
        lock.execute("lock table outbox_message in exclusive mode");
      }
      answer =
          CompletableFuture.supplyAsync(
              () ->
                  mvc.post()
                      .uri("/jobs")
                      .contentType(MediaType.APPLICATION_JSON)
                      .content("{\"url\":\"https://example.org/after-commit.bin\"}")
                      .exchange(),
              runnable -> Thread.ofPlatform().start(runnable));

      Thread.sleep(500);
      assertThat(answer).as("no answer while the commit cannot happen").isNotDone();
      blocker.rollback();
    }

    MvcTestResult accepted = answer.get(10, TimeUnit.SECONDS);
    assertThat(accepted).hasStatus(HttpStatus.ACCEPTED);
    UUID id = UUID.fromString(body(accepted).get("id").asString());
    assertThat(jobs.findById(id)).isPresent();
  }

  @Test
  void concurrentSubmissionsAreEachStoredOnceWithTheirMessage() throws Exception {
    int clients = 48;
    var barrier = new CyclicBarrier(clients);
    var answers = new ArrayList<CompletableFuture<MvcTestResult>>();
    for (int i = 0; i < clients; i++) {
      String url = "https://example.org/concurrent-submit-" + UUID.randomUUID();
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  barrier.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return mvc.post()
                    .uri("/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"url\":\"" + url + "\"}")
                    .exchange();
              },
              runnable -> Thread.ofPlatform().start(runnable)));
    }

    var accepted = new ArrayList<UUID>();
    for (var answer : answers) {
      MvcTestResult result = answer.get(30, TimeUnit.SECONDS);
      assertThat(result).hasStatus(HttpStatus.ACCEPTED);
      accepted.add(UUID.fromString(body(result).get("id").asString()));
    }
    assertThat(accepted).doesNotHaveDuplicates();
    for (UUID id : accepted) {
      assertThat(jobs.findById(id)).isPresent();
    }
    // Each job's message is published (its outbox row gone) exactly once.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("select count(*) from outbox_message where message_id = any(:ids)")
                            .param(
                                "ids", accepted.stream().map(UUID::toString).toArray(String[]::new))
                            .query(Long.class)
                            .single())
                    .isZero());
  }

  @Test
  void aJobThatCannotBeStoredLeavesNoMessageBehind() {
    UUID id = submit("https://example.org/stored-once.bin");
    Job again =
        Job.queued(
            id,
            "https://example.org/stored-twice.bin",
            null,
            null,
            CLIENT,
            Instant.now().truncatedTo(ChronoUnit.MICROS));
    String messageId = "not-" + UUID.randomUUID();

    assertThatExceptionOfType(DuplicateKeyException.class)
        .isThrownBy(
            () ->
                transactions.executeWithoutResult(
                    status ->
                        outbox.enqueueWith(
                            jobs.insertion(again),
                            Topology.JOBS_EXCHANGE,
                            Topology.JOBS_ROUTING_KEY,
                            messageId,
                            Map.of(Headers.ATTEMPT, 1),
                            again.command())));

    assertThat(
            jdbc.sql("select count(*) from outbox_message where message_id = :id")
                .param("id", messageId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(jobs.findById(id).orElseThrow().url())
        .isEqualTo("https://example.org/stored-once.bin");
  }
}
