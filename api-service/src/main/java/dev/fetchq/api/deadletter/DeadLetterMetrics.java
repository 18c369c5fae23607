package dev.fetchq.api.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Dead-letter admin counters, registered at zero: {@code fetchq.jobs.replayed} (jobs queued again
 * from the dead-letter queue) and {@code fetchq.deadletters.removed} (dead-letter messages removed,
 * by {@code action}: replayed, discarded, stale).
 */
@Component
class DeadLetterMetrics {

  private final Counter jobsReplayed;
  private final Counter removedByReplay;
  private final Counter removedByDiscard;
  private final Counter removedAsStale;

  DeadLetterMetrics(MeterRegistry registry) {
    jobsReplayed =
        Counter.builder("fetchq.jobs.replayed")
            .description("Dead jobs queued again by a replay")
            .register(registry);
    removedByReplay = removed(registry, "replayed");
    removedByDiscard = removed(registry, "discarded");
    removedAsStale = removed(registry, "stale");
  }

  private static Counter removed(MeterRegistry registry, String action) {
    return Counter.builder("fetchq.deadletters.removed")
        .description("Messages removed from the dead-letter queue, by admin action")
        .tag("action", action)
        .register(registry);
  }

  void replayed(int deadLetters) {
    jobsReplayed.increment();
    removedByReplay.increment(deadLetters);
  }

  void discarded(int deadLetters) {
    removedByDiscard.increment(deadLetters);
  }

  void staleRemoved(int deadLetters) {
    removedAsStale.increment(deadLetters);
  }
}
