package dev.fetchq.api.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.fetchq.model.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One look at {@link Topology#DEAD_LETTER_QUEUE}, on an AMQP connection of its own: take messages
 * in queue order, acknowledge the ones an operation is done with, and put every other one back
 * unchanged. Only one session runs at a time across all replicas ({@link DeadLetterLock}), so no
 * request ever sees the queue while another holds part of it.
 *
 * <p><b>Looking without consuming.</b> AMQP has no "peek". A session consumes with manual
 * acknowledgement and a prefetch that holds every message it takes (nothing is acknowledged while
 * it looks), takes the queue's ready messages (or stops when the broker goes quiet for {@code
 * idle-timeout}), then cancels its consumer, returns everything it did not acknowledge with one
 * {@code basic.nack(highest outstanding tag, multiple=true, requeue=true)}, and waits until the
 * queue shows them ready again.
 *
 * <p><b>Why it takes the whole queue, even to show a few messages.</b> A quorum queue (3.x, and 4.x
 * as far as we know) serves returned messages first, from a separate FIFO of returns, and a
 * returned message joins the <em>back</em> of that FIFO. After one look, every message is in it.
 * Returning only the first few would then move them behind all the others: the order would rotate
 * with every partial look (measured on 3.10). Returning the whole queue at once, in delivery order,
 * leaves it exactly as it was. So every session takes all ready messages up to {@code max-scan}.
 * Beyond {@code max-scan} messages nothing is lost or duplicated, but on such brokers the order of
 * the first {@code max-scan} relative to the rest rotates with each look; keep the queue below it
 * (the listing says {@code complete=false} when it is not).
 *
 * <p><b>Delivery limits.</b> Each look is a delivery of every message in the queue. On RabbitMQ
 * 3.10 the message's {@code x-delivery-count} goes up by one each time; on 4.0 to 4.2 a returned
 * message also counts toward the queue's delivery limit; 4.3 no longer counts a {@code basic.nack}
 * with requeue (it would count a message returned because its channel closed, which is why the
 * session nacks explicitly before it closes). The dead-letter queue therefore sets an explicit
 * limit of {@link Topology#DEAD_LETTER_PEEK_LIMIT} (4.x would default to 20 and then drop the
 * message) and dead-letters a message past it to {@link Topology#PARKED_QUEUE}: even a million
 * looks lose nothing, though on 4.0 to 4.2 a message looked at a million times leaves the listing
 * for the parked queue. Do not poll the listing; alert on the queue depth metric instead.
 */
final class DeadLetterSession implements AutoCloseable {

  /** A message taken from the queue and not yet settled. */
  record Taken(long tag, DeadLetter letter) {}

  private static final Duration RETURN_WAIT = Duration.ofSeconds(2);
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  private final Connection connection;
  private final Channel channel;
  private final DeadLetterReader reader;
  private final Duration idleTimeout;
  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

  /** Delivery tags neither acknowledged nor returned yet. */
  private final NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();

  private final CountDownLatch consumerGone = new CountDownLatch(1);

  private String consumerTag;
  private int depth;
  private int scanned;
  private int acked;

  private record Delivery(long tag, AMQP.BasicProperties properties, byte[] body) {}

  DeadLetterSession(Connection connection, DeadLetterReader reader, Duration idleTimeout)
      throws IOException {
    this.connection = connection;
    this.channel = connection.createChannel();
    this.reader = reader;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Takes the queue's ready messages (at most {@code maxScan}) in order and returns the first
   * {@code limit} that {@code wanted} accepts. Every message taken, wanted or not, is held until it
   * is acknowledged or the session closes; messages after the {@code limit}-th match are taken but
   * not looked at.
   */
  List<Taken> take(Predicate<DeadLetter> wanted, int limit, int maxScan)
      throws IOException, InterruptedException {
    depth = channel.queueDeclarePassive(Topology.DEAD_LETTER_QUEUE).getMessageCount();
    int toTake = Math.min(depth, maxScan);
    var taken = new ArrayList<Taken>();
    if (toTake == 0) {
      return taken;
    }
    // Per consumer (not global: quorum queues refuse global QoS). Nothing is acked while taking,
    // so the prefetch is exactly how many messages this session takes.
    channel.basicQos(toTake);
    consumerTag = channel.basicConsume(Topology.DEAD_LETTER_QUEUE, false, new Collector());
    for (int received = 0; received < toTake; received++) {
      Delivery delivery = deliveries.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (delivery == null) {
        break; // the broker has no more for us (held elsewhere, e.g. the management UI)
      }
      if (taken.size() < limit) {
        scanned++;
        DeadLetter letter = reader.read(delivery.properties(), delivery.body());
        if (wanted.test(letter)) {
          taken.add(new Taken(delivery.tag(), letter));
        }
      }
    }
    stopConsuming();
    return taken;
  }

  /** Removes a taken message from the queue for good. */
  void ack(Taken message) throws IOException {
    channel.basicAck(message.tag(), false);
    outstanding.remove(message.tag());
    acked++;
  }

  /** The queue's ready messages when the session started to take. */
  int depth() {
    return depth;
  }

  /** How many messages the session looked at. */
  int scanned() {
    return scanned;
  }

  /** Whether the session looked at every message that was in the queue when it started. */
  boolean complete() {
    return scanned >= depth;
  }

  /**
   * Puts back every message not acknowledged, waits (briefly) until the queue shows them ready
   * again so that the next session sees them, and closes the connection. Closing the connection
   * would return them too, should anything here fail.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (consumerTag != null) {
        stopConsuming();
      }
      // The tag of a multiple nack must itself be outstanding: use the highest one.
      if (!outstanding.isEmpty() && channel.isOpen()) {
        channel.basicNack(outstanding.last(), true, true);
        outstanding.clear();
        awaitReturned(depth - acked);
      }
    } finally {
      if (connection.isOpen()) {
        connection.close();
      }
    }
  }

  /** Cancels the consumer and waits until every delivery sent before the cancel was handled. */
  private void stopConsuming() throws IOException, InterruptedException {
    if (consumerTag == null || !channel.isOpen()) {
      return;
    }
    String tag = consumerTag;
    consumerTag = null;
    channel.basicCancel(tag);
    // handleCancelOk runs after every earlier delivery, so the outstanding tags are all known.
    consumerGone.await(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void awaitReturned(int expectedReady) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + RETURN_WAIT.toNanos();
    while (channel.queueDeclarePassive(Topology.DEAD_LETTER_QUEUE).getMessageCount() < expectedReady
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private final class Collector extends DefaultConsumer {

    Collector() {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      outstanding.add(envelope.getDeliveryTag());
      deliveries.add(new Delivery(envelope.getDeliveryTag(), properties, body));
    }

    @Override
    public void handleCancelOk(String tag) {
      consumerGone.countDown();
    }

    @Override
    public void handleCancel(String tag) {
      consumerGone.countDown();
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
      consumerGone.countDown();
    }
  }
}
