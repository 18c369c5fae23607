package dev.fetchq.messaging;

import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes messages and reports each as delivered only when the broker <em>acked</em> it and did
 * <em>not return</em> it as unroutable (an unroutable mandatory message is acked too; its return
 * arrives first).
 *
 * <p>Messages of one batch are sent back to back and their confirms awaited together, so a batch
 * costs one round trip, not one per message. A message can also be {@link #send sent} at once and
 * its confirm awaited later, so that the round trip overlaps other work.
 *
 * <p>A message may bring its own {@link Observation} (see {@link Outgoing#observation()}): a
 * message published later, on another thread than the work that produced it (the api-service's
 * outbox), is then traced as part of that work instead of whatever happens to be current.
 */
public class ConfirmedPublisher {

  private final RabbitTemplate template;
  private final Duration confirmTimeout;

  public ConfirmedPublisher(RabbitTemplate template, Duration confirmTimeout) {
    this.template = template;
    this.confirmTimeout = confirmTimeout;
  }

  /**
   * One message to publish.
   *
   * @param observation observes this one publish, or {@code null} to publish within the current
   *     observation. It is started before the send, in scope during the send (so the template's own
   *     observation, and the trace context it writes into the message headers, become its
   *     children), and stopped once the confirm is in, with an error when the message was not
   *     delivered.
   */
  public record Outgoing(
      String exchange, String routingKey, Message message, Observation observation) {

    public Outgoing(String exchange, String routingKey, Message message) {
      this(exchange, routingKey, message, null);
    }
  }

  /** Publishes one message and waits for its confirm. */
  public void publish(String exchange, String routingKey, Message message) {
    var result = publishAll(List.of(new Outgoing(exchange, routingKey, message))).getFirst();
    if (!result.delivered()) {
      throw new PublishFailedException(result.failure());
    }
  }

  /**
   * Sends one message within the current observation and returns at once, without waiting for its
   * confirm: the confirm travels while the caller does other work, and {@link Confirmation#await()}
   * tells later whether the message was delivered. Until then the message may or may not have
   * reached a queue; whoever depends on it (e.g. acknowledges the delivery it reports on) must
   * await it first.
   */
  public Confirmation send(String exchange, String routingKey, Message message) {
    long deadline = System.nanoTime() + confirmTimeout.toNanos();
    var correlation = new CorrelationData(UUID.randomUUID().toString());
    try {
      template.send(exchange, routingKey, message, correlation);
      return new Confirmation(correlation, null, deadline);
    } catch (AmqpException e) {
      return new Confirmation(null, "not sent: " + e.getMessage(), deadline);
    }
  }

  /**
   * The broker's answer to one message {@link #send sent} without waiting, awaited at most the
   * confirm timeout counted from the send. Safe to await from any thread, and more than once.
   */
  public static final class Confirmation {
    private final CorrelationData correlation;
    private final String notSent;
    private final long deadlineNanos;

    private Confirmation(CorrelationData correlation, String notSent, long deadlineNanos) {
      this.correlation = correlation;
      this.notSent = notSent;
      this.deadlineNanos = deadlineNanos;
    }

    /** Waits for the confirm (unless it is in already) and says whether the message is safe. */
    public PublishResult await() {
      return correlation == null
          ? PublishResult.failed(notSent)
          : awaitConfirm(correlation, deadlineNanos);
    }

    /**
     * Waits for the confirm.
     *
     * @throws PublishFailedException when the message was not delivered
     */
    public void awaitDelivered() {
      var result = await();
      if (!result.delivered()) {
        throw new PublishFailedException(result.failure());
      }
    }
  }

  /**
   * Publishes every message, then waits (at most the confirm timeout in all) for their confirms.
   *
   * @return one result per message, in order; a message whose result is not {@link
   *     PublishResult#delivered()} may or may not have reached a queue and must be published again
   */
  public List<PublishResult> publishAll(List<Outgoing> batch) {
    var pending = new ArrayList<CorrelationData>(batch.size());
    var results = new ArrayList<PublishResult>(batch.size());
    int started = 0;
    int stopped = 0;
    try {
      String notSent = null;
      for (Outgoing outgoing : batch) {
        start(outgoing.observation());
        started++;
        if (notSent != null) {
          // The connection failed for an earlier message: do not try (and time out) once per
          // message.
          pending.add(null);
          results.add(PublishResult.failed(notSent));
          continue;
        }
        var correlation = new CorrelationData(UUID.randomUUID().toString());
        try (var _ = outgoing.observation() == null ? null : outgoing.observation().openScope()) {
          template.send(
              outgoing.exchange(), outgoing.routingKey(), outgoing.message(), correlation);
          pending.add(correlation);
          results.add(null);
        } catch (AmqpException e) {
          notSent = "not sent: " + e.getMessage();
          pending.add(null);
          results.add(PublishResult.failed(notSent));
        }
      }
      long deadline = System.nanoTime() + confirmTimeout.toNanos();
      for (int i = 0; i < batch.size(); i++) {
        if (results.get(i) == null) {
          results.set(i, awaitConfirm(pending.get(i), deadline));
        }
        stop(batch.get(i).observation(), results.get(i));
        stopped++;
      }
      return results;
    } finally {
      // Only when something unexpected was thrown: no observation may stay open.
      for (int i = stopped; i < started; i++) {
        stop(batch.get(i).observation(), PublishResult.failed("publishing failed unexpectedly"));
      }
    }
  }

  private static void start(Observation observation) {
    if (observation != null) {
      observation.start();
    }
  }

  private static void stop(Observation observation, PublishResult result) {
    if (observation == null) {
      return;
    }
    if (!result.delivered()) {
      observation.error(new PublishFailedException(result.failure()));
    }
    observation.stop();
  }

  private static PublishResult awaitConfirm(CorrelationData correlation, long deadlineNanos) {
    try {
      long wait = Math.max(0, deadlineNanos - System.nanoTime());
      CorrelationData.Confirm confirm = correlation.getFuture().get(wait, TimeUnit.NANOSECONDS);
      if (!confirm.ack()) {
        return PublishResult.failed("nacked by the broker: " + confirm.reason());
      }
      var returned = correlation.getReturned();
      if (returned != null) {
        return PublishResult.failed(
            "returned as unroutable: " + returned.getReplyCode() + " " + returned.getReplyText());
      }
      return PublishResult.DELIVERED;
    } catch (TimeoutException e) {
      return PublishResult.failed("no confirm within the timeout");
    } catch (ExecutionException e) {
      return PublishResult.failed("confirm failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PublishResult.failed("interrupted while waiting for the confirm");
    }
  }

  /** Whether one message is safely at the broker, and why not. */
  public record PublishResult(boolean delivered, String failure) {
    static final PublishResult DELIVERED = new PublishResult(true, null);

    static PublishResult failed(String why) {
      return new PublishResult(false, why);
    }
  }

  /** A message was not confirmed: nacked, returned, not sent, or no answer in time. */
  public static class PublishFailedException extends AmqpException {
    public PublishFailedException(String message) {
      super(message);
    }
  }
}
