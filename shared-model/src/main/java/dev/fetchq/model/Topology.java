package dev.fetchq.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RabbitMQ objects fetchq uses, declared from this one definition by every service (declaring
 * the same object twice with the same arguments is a no-op). Queue arguments are frozen once a
 * queue exists, so a change to them needs a new queue name: bump the {@code .vN} suffix. See
 * RABBITMQ.md for why each argument is set.
 */
public final class Topology {

  /** Direct exchange the outbox relay publishes jobs to. */
  public static final String JOBS_EXCHANGE = "fetchq.jobs";

  /** Routing key of job messages on {@link #JOBS_EXCHANGE}. */
  public static final String JOBS_ROUTING_KEY = "download";

  /** The work queue workers consume. */
  public static final String JOBS_QUEUE = "fetchq.jobs.v1";

  /** Direct exchange workers publish {@link JobEvent}s to. */
  public static final String EVENTS_EXCHANGE = "fetchq.events";

  /** Routing key of events on {@link #EVENTS_EXCHANGE}. */
  public static final String EVENTS_ROUTING_KEY = "event";

  /** The queue the api-service projects events from. */
  public static final String EVENTS_QUEUE = "fetchq.events.v1";

  /** Direct exchange every queue dead-letters into. */
  public static final String DEAD_LETTER_EXCHANGE = "fetchq.dead";

  /** Dead-letter routing key for jobs. */
  public static final String DEAD_JOBS_ROUTING_KEY = "job";

  /** Dead-letter routing key for events that could not be projected. */
  public static final String DEAD_EVENTS_ROUTING_KEY = "event";

  /**
   * Jobs that failed for good, and poison job messages. Inspected and replayed by the admin API.
   */
  public static final String DEAD_LETTER_QUEUE = "fetchq.dead-letters.v1";

  /**
   * A copy of every job dead letter, for the api-service: a job message the broker dead-lettered by
   * itself (its delivery limit reached, or rejected by a consumer) comes with no event from a
   * worker, and without this the job would stay QUEUED or RUNNING forever. Bound to {@link
   * #DEAD_LETTER_EXCHANGE} with the same routing key as {@link #DEAD_LETTER_QUEUE}.
   */
  public static final String DEAD_LETTER_NOTICES_QUEUE = "fetchq.dead-letter-notices.v1";

  /** Events the api-service could not read or apply. */
  public static final String DEAD_EVENTS_QUEUE = "fetchq.events.dead-letters.v1";

  /** Dead-letter routing key for messages a dead-letter queue itself gives up on. */
  public static final String PARKED_ROUTING_KEY = "parked";

  /**
   * Where a dead letter goes if it was delivered {@link #DEAD_LETTER_PEEK_LIMIT} times: kept, never
   * dropped. Nothing consumes it; it exists so that no path loses a message.
   */
  public static final String PARKED_QUEUE = "fetchq.parked.v1";

  /**
   * Delivery limit of the dead-letter queues. They are inspected by taking messages and returning
   * them, and RabbitMQ 4.0 to 4.2 count every return as a delivery (4.x defaults the limit to 20
   * and then drops the message when no DLX is set; 3.10 reads a negative "unlimited" limit as 0).
   * So the limit is explicit and high, and reaching it parks the message rather than losing it.
   */
  public static final int DEAD_LETTER_PEEK_LIMIT = 1_000_000;

  /**
   * How often the broker may deliver one message before dead-lettering it. Our consumers never
   * requeue on purpose, so redeliveries come only from crashed or stopped consumers: this bounds a
   * message that crashes every worker that takes it.
   */
  public static final int DELIVERY_LIMIT = 10;

  /**
   * Direct exchange a worker republishes a transiently failed job to; the routing key names the
   * wait tier (see {@link #retryQueue}).
   */
  public static final String RETRY_EXCHANGE = "fetchq.retry";

  /** Direct exchange for control messages ({@link ControlMessage}). */
  public static final String CONTROL_EXCHANGE = "fetchq.control";

  /** Routing key of {@link ControlMessage}s on {@link #CONTROL_EXCHANGE}. */
  public static final String CONTROL_ROUTING_KEY = "control";

  /**
   * A stream of {@link ControlMessage}s (cancellations) that every worker reads from the start of
   * its retention when it starts and then follows, so that a worker started after a cancellation
   * still knows about it. A stream rather than a quorum queue because every worker reads every
   * message and nobody consumes them away; the retention outlives any job.
   */
  public static final String CONTROL_STREAM = "fetchq.control.v1";

  /** How long {@link #CONTROL_STREAM} keeps messages (RabbitMQ {@code x-max-age} syntax). */
  public static final String CONTROL_STREAM_MAX_AGE = "7D";

  /** An exchange: name and type. */
  public record Exchange(String name, String type) {}

  /** A durable queue with its frozen arguments, bound to one exchange with one routing key. */
  public record Queue(
      String name, Map<String, Object> arguments, String exchange, String routingKey) {}

  public static final List<Exchange> EXCHANGES =
      List.of(
          new Exchange(JOBS_EXCHANGE, "direct"),
          new Exchange(EVENTS_EXCHANGE, "direct"),
          new Exchange(DEAD_LETTER_EXCHANGE, "direct"),
          new Exchange(RETRY_EXCHANGE, "direct"),
          new Exchange(CONTROL_EXCHANGE, "direct"));

  public static final List<Queue> QUEUES =
      List.of(
          new Queue(
              JOBS_QUEUE,
              workQueueArguments(DEAD_JOBS_ROUTING_KEY),
              JOBS_EXCHANGE,
              JOBS_ROUTING_KEY),
          new Queue(
              EVENTS_QUEUE,
              workQueueArguments(DEAD_EVENTS_ROUTING_KEY),
              EVENTS_EXCHANGE,
              EVENTS_ROUTING_KEY),
          new Queue(
              DEAD_LETTER_QUEUE,
              queueArguments(DEAD_LETTER_PEEK_LIMIT, PARKED_ROUTING_KEY),
              DEAD_LETTER_EXCHANGE,
              DEAD_JOBS_ROUTING_KEY),
          new Queue(
              DEAD_LETTER_NOTICES_QUEUE,
              queueArguments(DELIVERY_LIMIT, PARKED_ROUTING_KEY),
              DEAD_LETTER_EXCHANGE,
              DEAD_JOBS_ROUTING_KEY),
          new Queue(
              DEAD_EVENTS_QUEUE,
              queueArguments(DEAD_LETTER_PEEK_LIMIT, PARKED_ROUTING_KEY),
              DEAD_LETTER_EXCHANGE,
              DEAD_EVENTS_ROUTING_KEY),
          new Queue(
              PARKED_QUEUE,
              Map.of("x-queue-type", "quorum"),
              DEAD_LETTER_EXCHANGE,
              PARKED_ROUTING_KEY),
          new Queue(
              CONTROL_STREAM,
              Map.of("x-queue-type", "stream", "x-max-age", CONTROL_STREAM_MAX_AGE),
              CONTROL_EXCHANGE,
              CONTROL_ROUTING_KEY));

  /**
   * The wait queue of one retry tier: messages sit there for {@code delay} (a fixed per-queue TTL,
   * so nothing waits behind a longer-lived message) and then dead-letter back to {@link
   * #JOBS_EXCHANGE}. Tiers are configuration, so these queues are declared by the worker that
   * publishes to them; the name carries the delay, so a changed tier is a new queue.
   *
   * @param delay the tier's wait, whole seconds at least 1
   */
  public static Queue retryQueue(java.time.Duration delay) {
    long seconds = delay.toSeconds();
    if (seconds < 1 || !delay.equals(java.time.Duration.ofSeconds(seconds))) {
      throw new IllegalArgumentException("retry tiers are whole seconds, at least 1: " + delay);
    }
    String name = "fetchq.retry." + seconds + "s.v1";
    var args = new LinkedHashMap<String, Object>();
    args.put("x-queue-type", "quorum");
    args.put("x-message-ttl", seconds * 1000);
    args.put("x-delivery-limit", DELIVERY_LIMIT);
    args.put("x-dead-letter-exchange", JOBS_EXCHANGE);
    args.put("x-dead-letter-routing-key", JOBS_ROUTING_KEY);
    args.put("x-dead-letter-strategy", "at-least-once");
    args.put("x-overflow", "reject-publish");
    return new Queue(name, Map.copyOf(args), RETRY_EXCHANGE, name);
  }

  private static Map<String, Object> workQueueArguments(String deadLetterRoutingKey) {
    return queueArguments(DELIVERY_LIMIT, deadLetterRoutingKey);
  }

  private static Map<String, Object> queueArguments(
      int deliveryLimit, String deadLetterRoutingKey) {
    var args = new LinkedHashMap<String, Object>();
    args.put("x-queue-type", "quorum");
    args.put("x-delivery-limit", deliveryLimit);
    args.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
    args.put("x-dead-letter-routing-key", deadLetterRoutingKey);
    args.put("x-dead-letter-strategy", "at-least-once");
    args.put("x-overflow", "reject-publish");
    return Map.copyOf(args);
  }

  private Topology() {}
}
