package dev.fetchq.api.events;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Consumption of worker events.
 *
 * @param retry how an event whose projection failed because the database is unreachable is retried
 *     before it goes to the dead-event queue
 */
@Validated
@ConfigurationProperties("fetchq.events")
public record EventsProperties(@Valid @NotNull @DefaultValue Retry retry) {

  /**
   * Retries on the consumer thread: while the database is down no event can be projected, so
   * holding the queue back is what we want. Keep {@code timeout} well below the broker's consumer
   * (ack) timeout.
   *
   * @param initialDelay the first pause; later pauses double
   * @param maxDelay the longest pause
   * @param timeout give up (dead-letter the event) after this long
   */
  public record Retry(
      @NotNull @DefaultValue("100ms") Duration initialDelay,
      @NotNull @DefaultValue("5s") Duration maxDelay,
      @NotNull @DefaultValue("5m") Duration timeout) {}
}
