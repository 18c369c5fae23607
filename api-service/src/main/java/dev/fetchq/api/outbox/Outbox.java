package dev.fetchq.api.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: a message enqueued here is stored in the caller's database transaction
 * and published by the relay after, and only if, that transaction commits. This is how fetchq
 * publishes anything that must not be lost, without a dual write.
 */
@Component
public class Outbox {

  private static final Duration AWAIT_POLL = Duration.ofMillis(20);

  private final OutboxRepository repository;
  private final MessageConverter converter;
  private final OutboxRelay relay;
  private final OutboxTracing tracing;
  private final Clock clock;

  Outbox(
      OutboxRepository repository,
      MessageConverter converter,
      OutboxRelay relay,
      OutboxTracing tracing,
      Clock clock) {
    this.repository = repository;
    this.converter = converter;
    this.relay = relay;
    this.tracing = tracing;
    this.clock = clock;
  }

  /**
   * Stores a message for publishing. The payload is converted with the application's AMQP message
   * converter, so it is on the wire exactly as a direct publish would put it. The current trace
   * context is stored with it, and its publishing continues that trace ({@link OutboxTracing}).
   *
   * @param messageId the AMQP message id; consumers deduplicate by it
   * @param headers AMQP headers; strings, numbers and booleans only
   * @return the outbox message's id, for {@link #awaitPublished}
   * @throws IllegalStateException when called outside a transaction
   */
  public long enqueue(
      String exchange,
      String routingKey,
      String messageId,
      Map<String, Object> headers,
      Object payload) {
    requireTransaction();
    OutboxMessage message = message(exchange, routingKey, messageId, headers, payload);
    long id = repository.insert(message);
    wakeRelayAfterCommit();
    return id;
  }

  /**
   * A change to the database that an outbox message announces, to run in the same statement: an
   * {@code insert}, {@code update} or {@code delete} without a {@code returning} clause, with named
   * parameters. Its parameter names must not start with {@code outbox_}; the outbox adds its own to
   * {@code parameters}.
   */
  public record Change(String sql, MapSqlParameterSource parameters) {}

  /**
   * {@link #enqueue} together with {@code change}, in one SQL statement: one round trip to the
   * database fewer. Both are stored, or (when the statement fails) neither.
   */
  public long enqueueWith(
      Change change,
      String exchange,
      String routingKey,
      String messageId,
      Map<String, Object> headers,
      Object payload) {
    requireTransaction();
    OutboxMessage message = message(exchange, routingKey, messageId, headers, payload);
    long id = repository.insertWith(change, message);
    wakeRelayAfterCommit();
    return id;
  }

  /**
   * A message made ready for the outbox on the thread of the work it announces (so it carries that
   * work's trace context), to be stored later, possibly on another thread, with {@link
   * #enqueueAllWith}.
   */
  public static final class Prepared {
    private final OutboxMessage message;

    private Prepared(OutboxMessage message) {
      this.message = message;
    }
  }

  /** Converts the message and captures the current trace context; stores nothing. */
  public Prepared prepare(
      String exchange,
      String routingKey,
      String messageId,
      Map<String, Object> headers,
      Object payload) {
    return new Prepared(message(exchange, routingKey, messageId, headers, payload));
  }

  /**
   * {@link #enqueueWith} for many changes and their messages, as one JDBC batch of statements (one
   * round trip). The changes must share their SQL; {@code changes.get(i)} goes with {@code
   * messages.get(i)}.
   */
  public void enqueueAllWith(List<Change> changes, List<Prepared> messages) {
    requireTransaction();
    if (changes.size() != messages.size()) {
      throw new IllegalArgumentException("One message per change");
    }
    if (changes.isEmpty()) {
      return;
    }
    repository.insertAllWith(changes, messages.stream().map(p -> p.message).toList());
    wakeRelayAfterCommit();
  }

  private OutboxMessage message(
      String exchange,
      String routingKey,
      String messageId,
      Map<String, Object> headers,
      Object payload) {
    var properties = new MessageProperties();
    Message message = converter.toMessage(payload, properties);
    var allHeaders = new LinkedHashMap<String, Object>(properties.getHeaders());
    allHeaders.putAll(tracing.currentContext());
    allHeaders.putAll(headers);
    return new OutboxMessage(
        null,
        exchange,
        routingKey,
        messageId,
        properties.getContentType(),
        properties.getContentEncoding(),
        allHeaders,
        message.getBody(),
        clock.instant());
  }

  private static void requireTransaction() {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "Outbox.enqueue must run in the transaction of the change it announces");
    }
  }

  private void wakeRelayAfterCommit() {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }

  /**
   * Waits until the broker confirmed these outbox messages (the relay deletes a message only then),
   * whichever replica's relay published them.
   *
   * @return the ids still not confirmed when {@code timeout} passed; empty when all were
   */
  public Set<Long> awaitPublished(Collection<Long> ids, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<Long> pending = repository.existing(ids);
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      relay.wakeUp();
      Thread.sleep(AWAIT_POLL);
      pending = repository.existing(pending);
    }
    return pending;
  }
}
