package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionOperations;

/** A job and its job message are written by one statement: both, or neither. */
class JobSubmissionIntegrationTests extends ApiIntegrationTest {

  @Autowired JobRepository jobs;
  @Autowired Outbox outbox;
  @Autowired TransactionOperations transactions;

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
