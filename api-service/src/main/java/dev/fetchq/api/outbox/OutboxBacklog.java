package dev.fetchq.api.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Gauge {@code fetchq.outbox.backlog}: messages written but not yet confirmed by the broker. It
 * grows while RabbitMQ is unreachable or the relay falls behind. Counted at scrape time.
 */
@Component
class OutboxBacklog implements MeterBinder {

  private final OutboxRepository repository;

  OutboxBacklog(OutboxRepository repository) {
    this.repository = repository;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("fetchq.outbox.backlog", repository, OutboxRepository::count)
        .description("Outbox messages not yet published")
        .strongReference(true)
        .register(registry);
  }
}
