package dev.fetchq.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Headers;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

class OutboxTests {

  private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");
  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  private final OutboxRepository repository = mock(OutboxRepository.class);
  private final OutboxRelay relay = mock(OutboxRelay.class);
  private final Outbox outbox =
      new Outbox(
          repository,
          new JacksonJsonMessageConverter(JsonMapper.builder().build(), "dev.fetchq.model"),
          relay,
          new OutboxTracing(Tracer.NOOP, Propagator.NOOP, ObservationRegistry.NOOP),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aMessageIsStoredAsItWillBePublishedAndTheRelayWokenAfterTheCommit() {
    TransactionSynchronizationManager.initSynchronization();
    TransactionSynchronizationManager.setActualTransactionActive(true);
    try {
      outbox.enqueue(
          "fetchq.jobs",
          "download",
          JOB.toString(),
          Map.of(Headers.ATTEMPT, 1),
          new DownloadJob(JOB, "https://example.org/a", null));

      var stored = ArgumentCaptor.forClass(OutboxMessage.class);
      verify(repository).insert(stored.capture());
      OutboxMessage message = stored.getValue();
      assertThat(message.exchange()).isEqualTo("fetchq.jobs");
      assertThat(message.routingKey()).isEqualTo("download");
      assertThat(message.messageId()).isEqualTo(JOB.toString());
      assertThat(message.contentType()).isEqualTo("application/json");
      assertThat(message.headers()).containsEntry(Headers.ATTEMPT, 1);
      assertThat(new String(message.payload(), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"jobId\":\"%s\",\"url\":\"https://example.org/a\",\"expectedSha256\":null}"
                  .formatted(JOB));
      assertThat(message.createdAt()).isEqualTo(NOW);
      verify(relay, never()).wakeUp();

      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);

      verify(relay).wakeUp();
    } finally {
      TransactionSynchronizationManager.clear();
    }
  }

  @Test
  void aMessageStoredWithItsChangeGoesInOneStatementAndWakesTheRelayAfterTheCommit() {
    var change =
        new Outbox.Change("insert into t (id) values (:id)", new MapSqlParameterSource("id", JOB));
    TransactionSynchronizationManager.initSynchronization();
    TransactionSynchronizationManager.setActualTransactionActive(true);
    try {
      outbox.enqueueWith(
          change,
          "fetchq.jobs",
          "download",
          JOB.toString(),
          Map.of(Headers.ATTEMPT, 1),
          new DownloadJob(JOB, "https://example.org/a", null));

      var stored = ArgumentCaptor.forClass(OutboxMessage.class);
      verify(repository).insertWith(eq(change), stored.capture());
      verify(repository, never()).insert(any());
      assertThat(stored.getValue().messageId()).isEqualTo(JOB.toString());
      assertThat(stored.getValue().headers()).containsEntry(Headers.ATTEMPT, 1);
      verify(relay, never()).wakeUp();

      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);

      verify(relay).wakeUp();
    } finally {
      TransactionSynchronizationManager.clear();
    }
  }

  @Test
  void preparedMessagesAreStoredTogetherWithTheirChangesAndWakeTheRelayOnceAfterTheCommit() {
    var first = new Outbox.Change("insert into t (id) values (:id)", new MapSqlParameterSource());
    var second = new Outbox.Change("insert into t (id) values (:id)", new MapSqlParameterSource());
    // Prepared outside any transaction, as on a request thread before its group commits.
    Outbox.Prepared a =
        outbox.prepare(
            "fetchq.jobs", "download", "a", Map.of(), new DownloadJob(JOB, "https://a", null));
    Outbox.Prepared b =
        outbox.prepare(
            "fetchq.jobs", "download", "b", Map.of(), new DownloadJob(JOB, "https://b", null));
    TransactionSynchronizationManager.initSynchronization();
    TransactionSynchronizationManager.setActualTransactionActive(true);
    try {
      outbox.enqueueAllWith(List.of(first, second), List.of(a, b));

      @SuppressWarnings("unchecked")
      ArgumentCaptor<List<OutboxMessage>> stored = ArgumentCaptor.forClass(List.class);
      verify(repository).insertAllWith(eq(List.of(first, second)), stored.capture());
      assertThat(stored.getValue()).extracting(OutboxMessage::messageId).containsExactly("a", "b");
      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);
      verify(relay).wakeUp();
    } finally {
      TransactionSynchronizationManager.clear();
    }
    assertThatIllegalStateException()
        .as("outside a transaction")
        .isThrownBy(() -> outbox.enqueueAllWith(List.of(first), List.of(a)));
  }

  @Test
  void enqueueingOutsideATransactionIsABug() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                outbox.enqueue(
                    "fetchq.jobs", "download", "id", Map.of(), new DownloadJob(JOB, "u", null)));
    verify(repository, never()).insert(any());
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                outbox.enqueueWith(
                    new Outbox.Change("insert into t default values", new MapSqlParameterSource()),
                    "fetchq.jobs",
                    "download",
                    "id",
                    Map.of(),
                    new DownloadJob(JOB, "u", null)));
    verify(repository, never()).insertWith(any(), any());
  }
}
