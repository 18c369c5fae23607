package dev.fetchq.worker.cancel;

import com.rabbitmq.client.Channel;
import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.ControlMessage;
import dev.fetchq.model.Topology;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.AsyncConsumerRestartedEvent;
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.SmartMessageConverter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Reads {@link Topology#CONTROL_STREAM} into the {@link CancellationRegistry}, and tells when this
 * process has read everything published to it before a given moment ("caught up").
 *
 * <p>The stream is consumed from its first retained message every time a consumer (re)starts, so
 * neither a worker started after a cancellation nor one whose connection dropped misses one. To
 * know when the consumer has read far enough, the worker publishes a {@link ControlMessage.Marker}
 * with a fresh nonce to the stream and waits until it reads that marker back: everything published
 * before the marker has been read by then. This happens at start (job consumers start only once
 * caught up) and after every consumer restart (job deliveries wait for it; see {@link
 * #awaitCaughtUp}).
 */
public class ControlStream implements ChannelAwareMessageListener, DisposableBean {

  /** The id of the stream's listener container. */
  public static final String LISTENER_ID = "fetchq.control";

  private static final Logger log = LoggerFactory.getLogger(ControlStream.class);
  private static final ParameterizedTypeReference<ControlMessage> CONTROL_MESSAGE =
      ParameterizedTypeReference.forType(ControlMessage.class);
  private static final Duration MAX_PUBLISH_BACKOFF = Duration.ofSeconds(5);

  private final CancellationRegistry registry;
  private final ConfirmedPublisher publisher;
  private final SmartMessageConverter converter;
  private final String worker;
  private final Clock clock;
  private final AtomicReference<Round> round = new AtomicReference<>();
  private volatile boolean stopped;

  /** One catch-up: done when the marker with {@code nonce} has been read back. */
  private record Round(UUID nonce, CompletableFuture<Void> caughtUp) {}

  public ControlStream(
      CancellationRegistry registry,
      ConfirmedPublisher publisher,
      SmartMessageConverter converter,
      String worker,
      Clock clock) {
    this.registry = registry;
    this.publisher = publisher;
    this.converter = converter;
    this.worker = worker;
    this.clock = clock;
  }

  /**
   * Waits until this process has read the control stream up to its latest marker.
   *
   * @return whether it caught up within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Round current = round.get();
      if (current == null) {
        beginCatchUp(null);
        continue;
      }
      if (current.caughtUp().isDone()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        // In slices: a consumer restart meanwhile replaces the round to wait for.
        current
            .caughtUp()
            .get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        // look again
      } catch (ExecutionException e) {
        throw new IllegalStateException("catch-up round failed", e);
      }
    }
  }

  /** Whether this process has read the stream up to its latest marker. */
  public boolean isCaughtUp() {
    Round current = round.get();
    return current != null && current.caughtUp().isDone();
  }

  @EventListener
  public void onConsumerStarted(AsyncConsumerStartedEvent event) {
    if (isOurs(event.getSource())) {
      beginCatchUp(round.get());
    }
  }

  @EventListener
  public void onConsumerRestarted(AsyncConsumerRestartedEvent event) {
    if (isOurs(event.getSource())) {
      log.info("Control stream consumer restarted: reading it again from the start");
      beginCatchUp(round.get());
    }
  }

  @Override
  public void onMessage(Message message, Channel channel) throws IOException {
    MessageProperties properties = message.getMessageProperties();
    try {
      apply((ControlMessage) converter.fromMessage(message, CONTROL_MESSAGE));
    } catch (RuntimeException e) {
      // An unreadable control message must not stop the stream: every later cancellation is behind
      // it. (A stream neither requeues nor dead-letters; reading it again would only repeat this.)
      log.warn(
          "Unreadable control message {} at offset {} skipped: {}",
          properties.getMessageId(),
          properties.getHeaders().get("x-stream-offset"),
          e.toString());
    } finally {
      // Streams read over AMQP 0.9.1 need acknowledgements to keep the prefetch window moving.
      channel.basicAck(properties.getDeliveryTag(), false);
    }
  }

  @Override
  public void destroy() {
    stopped = true;
  }

  private void apply(ControlMessage message) {
    switch (message) {
      case ControlMessage.CancelJob cancel -> registry.cancel(cancel.jobId(), cancel.at());
      case ControlMessage.Marker marker -> {
        Round current = round.get();
        if (current != null
            && current.nonce().equals(marker.nonce())
            && current.caughtUp().complete(null)) {
          log.info(
              "Control stream read up to marker {}: {} cancellations known",
              marker.nonce(),
              registry.size());
        }
      }
    }
  }

  /** Starts a new round unless another thread replaced {@code previous} first. */
  private void beginCatchUp(Round previous) {
    var next = new Round(UUID.randomUUID(), new CompletableFuture<>());
    if (round.compareAndSet(previous, next)) {
      Thread.ofVirtual().name("fetchq-control-marker").start(() -> publishMarker(next));
    }
  }

  /** Publishes the round's marker, retrying until it is confirmed or the round is superseded. */
  private void publishMarker(Round marker) {
    Duration backoff = Duration.ofMillis(100);
    while (!stopped && round.get() == marker) {
      try {
        var body = new ControlMessage.Marker(worker, marker.nonce(), clock.instant());
        var properties = new MessageProperties();
        properties.setMessageId(marker.nonce().toString());
        publisher.publish(
            Topology.CONTROL_EXCHANGE,
            Topology.CONTROL_ROUTING_KEY,
            converter.toMessage(body, properties));
        return;
      } catch (AmqpException e) {
        log.warn(
            "Control stream marker not published, trying again in {}: {}", backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_PUBLISH_BACKOFF) > 0) {
          backoff = MAX_PUBLISH_BACKOFF;
        }
      }
    }
  }

  private static boolean isOurs(Object source) {
    return source instanceof AbstractMessageListenerContainer container
        && LISTENER_ID.equals(container.getListenerId());
  }
}
