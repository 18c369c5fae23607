package dev.fetchq.api.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The outbox's meters, registered at start:
 *
 * <ul>
 *   <li>gauge {@code fetchq.outbox.backlog}: messages written but not yet confirmed by the broker,
 *       counted in the database at scrape time (all replicas' messages: aggregate with {@code
 *       max}). It grows while RabbitMQ is unreachable or the relay falls behind;
 *   <li>counter {@code fetchq.outbox.publish.failures}: messages this relay published that the
 *       broker did not confirm (nacked, returned, no confirm in time, or not sent because the
 *       connection failed mid-batch). They stay in the outbox and are published again. Rounds that
 *       cannot even connect publish nothing and count nothing: the backlog shows those.
 * </ul>
 */
@Component
class OutboxMetrics {

  private final Counter publishFailures;

  OutboxMetrics(MeterRegistry registry, OutboxRepository repository) {
    Gauge.builder("fetchq.outbox.backlog", repository, OutboxRepository::count)
        .description("Outbox messages not yet published")
        .strongReference(true)
        .register(registry);
    publishFailures =
        Counter.builder("fetchq.outbox.publish.failures")
            .description("Outbox messages published without a confirm from the broker")
            .register(registry);
  }

  void publishFailed(int messages) {
    publishFailures.increment(messages);
  }
}
