package dev.fetchq.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionOperations;

/** What the relay counts when the broker does not take a message. */
class OutboxRelayIntegrationTests extends ApiIntegrationTest {

  @Autowired Outbox outbox;
  @Autowired TransactionOperations transactions;
  @Autowired MeterRegistry meters;

  @Test
  void aMessageTheBrokerReturnsCountsAsAPublishFailureAndStaysInTheOutbox() {
    double failuresBefore = publishFailures();
    long id =
        transactions.execute(
            status ->
                outbox.enqueue(
                    Topology.JOBS_EXCHANGE,
                    "no-such-routing-key",
                    UUID.randomUUID().toString(),
                    Map.of(),
                    Map.of("unroutable", true)));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> publishFailures() > failuresBefore);
      assertThat(outboxRows(id)).isEqualTo(1);
    } finally {
      // It would be returned for ever, and slow the relay down for the other tests.
      jdbc.sql("delete from outbox_message where id = :id").param("id", id).update();
    }
  }

  private int outboxRows(long id) {
    List<Long> rows =
        jdbc.sql("select id from outbox_message where id = :id")
            .param("id", id)
            .query(Long.class)
            .list();
    return rows.size();
  }

  private double publishFailures() {
    return meters.get("fetchq.outbox.publish.failures").counter().count();
  }
}
