package dev.fetchq.api.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Makes UUIDv7 job ids (RFC 9562): 48 bits of Unix milliseconds, the version, a 12-bit counter that
 * keeps ids from this generator strictly increasing within a millisecond (RFC 9562 method 1), the
 * variant and 62 random bits. Ids therefore sort by creation time, in PostgreSQL's byte order too,
 * which makes "newest first" an index scan on the primary key.
 */
@Component
class JobIdGenerator {

  private static final int COUNTER_MAX = 0xFFF;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private int counter;

  JobIdGenerator(Clock clock) {
    this.clock = clock;
  }

  synchronized UUID next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      // Start low in the range so that a busy millisecond rarely exhausts the counter.
      counter = random.nextInt(COUNTER_MAX / 2);
    } else if (++counter > COUNTER_MAX) {
      // Counter exhausted, or the clock went backwards: borrow the next millisecond.
      lastMillis++;
      counter = 0;
    }
    long mostSignificant = (lastMillis << 16) | 0x7000L | counter;
    long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(mostSignificant, leastSignificant);
  }
}
