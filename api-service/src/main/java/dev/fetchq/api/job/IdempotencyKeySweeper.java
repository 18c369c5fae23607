package dev.fetchq.api.job;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes idempotency keys past {@code fetchq.idempotency.retention}, every {@code sweep-interval},
 * in batches. Correctness does not depend on it (an expired key is replaced when it is reused); it
 * keeps the table from growing for ever.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class IdempotencyKeySweeper implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeySweeper.class);
  static final int BATCH = 10_000;

  private final IdempotencyKeyRepository keys;
  private final IdempotencyProperties properties;
  private final Clock clock;

  IdempotencyKeySweeper(
      IdempotencyKeyRepository keys, IdempotencyProperties properties, Clock clock) {
    this.keys = keys;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::sweep, properties.sweepInterval());
  }

  /** Deletes every expired key; returns how many. */
  int sweep() {
    Instant cutoff = clock.instant().minus(properties.retention());
    int total = 0;
    try {
      int deleted;
      do {
        deleted = keys.deleteExpired(cutoff, BATCH);
        total += deleted;
      } while (deleted == BATCH);
    } catch (DataAccessException e) {
      // The next round deletes what this one could not.
      log.debug("Expired idempotency keys not swept: {}", e.toString());
    }
    if (total > 0) {
      log.debug("Deleted {} expired idempotency keys", total);
    }
    return total;
  }
}
