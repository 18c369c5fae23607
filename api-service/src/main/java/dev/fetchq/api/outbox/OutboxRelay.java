package dev.fetchq.api.outbox;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.messaging.ConfirmedPublisher.PublishResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Publishes outbox messages on a thread of its own. Each round, in one transaction, it locks the
 * oldest rows ({@code FOR UPDATE SKIP LOCKED}, so replicas share the work), publishes them with
 * confirms, and deletes only the rows the broker acked without returning them. A row whose publish
 * failed stays and is published again: delivery is at least once.
 *
 * <p>It wakes right after a commit that enqueued a message, and otherwise polls. While the broker
 * or the database is unreachable it backs off exponentially and logs once per outage.
 */
@EnableConfigurationProperties(OutboxProperties.class)
@Component
class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final OutboxRepository repository;
  private final ConfirmedPublisher publisher;
  private final ConnectionFactory connectionFactory;
  private final TransactionOperations transactions;
  private final OutboxTracing tracing;
  private final OutboxMetrics metrics;
  private final OutboxProperties properties;

  private final Semaphore wakeUps = new Semaphore(0);
  private volatile CountDownLatch stopping = new CountDownLatch(0);
  private volatile Thread thread;
  private Instant outageSince;

  OutboxRelay(
      OutboxRepository repository,
      ConfirmedPublisher publisher,
      ConnectionFactory connectionFactory,
      TransactionOperations transactions,
      OutboxTracing tracing,
      OutboxMetrics metrics,
      OutboxProperties properties) {
    this.repository = repository;
    this.publisher = publisher;
    this.connectionFactory = connectionFactory;
    this.transactions = transactions;
    this.tracing = tracing;
    this.metrics = metrics;
    this.properties = properties;
  }

  /** Asks the relay to look for messages now instead of at its next poll. */
  void wakeUp() {
    if (wakeUps.availablePermits() == 0) {
      wakeUps.release();
    }
  }

  @Override
  public synchronized void start() {
    if (thread == null) {
      stopping = new CountDownLatch(1);
      thread = Thread.ofPlatform().name("outbox-relay").start(this::run);
    }
  }

  @Override
  public synchronized void stop() {
    Thread running = thread;
    if (running == null) {
      return;
    }
    stopping.countDown();
    wakeUps.release();
    try {
      // The round in flight finishes (at most one confirm timeout); its rows are then safe.
      running.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }

  /** Stop after the web server has drained, so the last accepted jobs get their round. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }

  private void run() {
    Duration backoff = Duration.ZERO;
    while (stopping.getCount() > 0) {
      try {
        Round round = relayRound();
        if (round.failed() == 0) {
          recovered();
        } else {
          failing(round.firstFailure());
        }
        if (round.delivered() == 0 && round.failed() > 0) {
          backoff = pause(backoff);
        } else {
          backoff = Duration.ZERO;
          if (round.delivered() + round.failed() < properties.batchSize()) {
            awaitWakeUp();
          }
        }
      } catch (RuntimeException e) {
        failing(e.toString());
        backoff = pause(backoff);
      }
    }
  }

  private Round relayRound() {
    // One connection attempt that fails fast, instead of one per message of the batch.
    publisherConnectionFactory().createConnection().close();
    return transactions.execute(
        status -> {
          List<OutboxMessage> batch = repository.lockOldest(properties.batchSize());
          if (batch.isEmpty()) {
            return Round.EMPTY;
          }
          List<PublishResult> results =
              publisher.publishAll(batch.stream().map(this::outgoing).toList());
          var delivered = new ArrayList<Long>(batch.size());
          String firstFailure = null;
          for (int i = 0; i < batch.size(); i++) {
            if (results.get(i).delivered()) {
              delivered.add(batch.get(i).id());
            } else if (firstFailure == null) {
              firstFailure = results.get(i).failure();
            }
          }
          repository.delete(delivered);
          metrics.publishFailed(batch.size() - delivered.size());
          logEach(batch, results);
          return new Round(delivered.size(), batch.size() - delivered.size(), firstFailure);
        });
  }

  /**
   * One line per message, at debug level, with the job id (= message id) in the MDC. An outage is
   * logged once at WARN instead ({@link #failing}).
   */
  private static void logEach(List<OutboxMessage> batch, List<PublishResult> results) {
    if (!log.isDebugEnabled()) {
      return;
    }
    Instant now = Instant.now();
    for (int i = 0; i < batch.size(); i++) {
      OutboxMessage message = batch.get(i);
      try (var _ = MDC.putCloseable("jobId", message.messageId())) {
        if (results.get(i).delivered()) {
          log.debug(
              "Published message {} to {} after {} in the outbox",
              message.messageId(),
              message.exchange(),
              Duration.between(message.createdAt(), now));
        } else {
          log.debug(
              "Message {} to {} not confirmed, stays in the outbox: {}",
              message.messageId(),
              message.exchange(),
              results.get(i).failure());
        }
      }
    }
  }

  private ConfirmedPublisher.Outgoing outgoing(OutboxMessage message) {
    var properties = new MessageProperties();
    properties.setMessageId(message.messageId());
    properties.setContentType(message.contentType());
    properties.setContentEncoding(message.contentEncoding());
    properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    properties.setTimestamp(Date.from(message.createdAt()));
    message.headers().forEach(properties::setHeader);
    return new ConfirmedPublisher.Outgoing(
        message.exchange(),
        message.routingKey(),
        new Message(message.payload(), properties),
        tracing.relaying(message));
  }

  private ConnectionFactory publisherConnectionFactory() {
    ConnectionFactory publisherFactory = connectionFactory.getPublisherConnectionFactory();
    return publisherFactory != null ? publisherFactory : connectionFactory;
  }

  private void failing(String why) {
    if (outageSince == null) {
      outageSince = Instant.now();
      log.warn("Outbox relay cannot publish, retrying until it can: {}", why);
    }
  }

  private Duration pause(Duration backoff) {
    Duration next =
        backoff.isZero()
            ? properties.pollInterval()
            : min(backoff.multipliedBy(2), properties.maxBackoff());
    try {
      // New messages do not shorten the pause: they would only hammer a broker that is down.
      stopping.await(next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
    return next;
  }

  private void recovered() {
    if (outageSince != null) {
      log.info(
          "Outbox relay publishes again after {}",
          Duration.between(outageSince, Instant.now()).withNanos(0));
      outageSince = null;
    }
  }

  private void awaitWakeUp() {
    try {
      if (wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
        wakeUps.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** What one round did. */
  private record Round(int delivered, int failed, String firstFailure) {
    static final Round EMPTY = new Round(0, 0, null);
  }
}
