package dev.fetchq.api.events;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Consumption of worker events.
 *
 * @param consumers how many consumers (threads, each with its own channel) project events side by
 *     side. Events of one job may then be applied out of order, which the projection is built for;
 *     each consumer keeps the order of the events it receives
 * @param batch how events are gathered into one database transaction
 * @param retry how a batch whose projection failed because the database is unreachable is retried
 *     before its events go to the dead-event queue
 */
@Validated
@ConfigurationProperties("fetchq.events")
public record EventsProperties(
    @Min(1) @Max(16) @DefaultValue("1") int consumers,
    @Valid @NotNull @DefaultValue Batch batch,
    @Valid @NotNull @DefaultValue Retry retry) {

  /**
   * A batch is applied in one transaction and acked after its commit. It closes when it has {@code
   * size} events, when no further event arrived for {@code gap}, or once it has been gathering for
   * {@code maxWait}: under load batches are full, and a lone event waits at most about {@code gap}.
   *
   * @param size the most events in one transaction (also the least prefetch of each consumer)
   * @param gap close the batch when no event arrives for this long
   * @param maxWait close the batch when it has been gathering for this long
   */
  public record Batch(
      @Min(1) @Max(2000) @DefaultValue("250") int size,
      @NotNull @DefaultValue("5ms") Duration gap,
      @NotNull @DefaultValue("50ms") Duration maxWait) {}

  /**
   * Retries on the consumer thread: while the database is down no event can be projected, so
   * holding the queue back is what we want. Keep {@code timeout} well below the broker's consumer
   * (ack) timeout.
   *
   * @param initialDelay the first pause; later pauses double
   * @param maxDelay the longest pause
   * @param timeout give up (dead-letter the batch's events) after this long
   */
  public record Retry(
      @NotNull @DefaultValue("100ms") Duration initialDelay,
      @NotNull @DefaultValue("5s") Duration maxDelay,
      @NotNull @DefaultValue("5m") Duration timeout) {}
}
