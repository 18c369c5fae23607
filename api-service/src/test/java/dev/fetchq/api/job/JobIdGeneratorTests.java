package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdGeneratorTests {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123Z");

  /** PostgreSQL compares uuids byte by byte, i.e. as two unsigned longs. */
  private static final Comparator<UUID> DATABASE_ORDER =
      Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
          .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

  @Test
  void idsAreVersion7WithTheCreationTime() {
    UUID id = new JobIdGenerator(Clock.fixed(NOW, ZoneOffset.UTC)).next();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void idsOfOneMillisecondStillIncreaseStrictly() {
    var generator = new JobIdGenerator(Clock.fixed(NOW, ZoneOffset.UTC));

    List<UUID> ids = generate(generator, 10_000);

    assertThat(ids).isSortedAccordingTo(DATABASE_ORDER).doesNotHaveDuplicates();
  }

  @Test
  void idsIncreaseEvenWhenTheClockGoesBackwards() {
    var clock = new SteppingClock(NOW);
    var generator = new JobIdGenerator(clock);
    UUID before = generator.next();

    clock.now = NOW.minusSeconds(1);
    UUID after = generator.next();

    assertThat(DATABASE_ORDER.compare(before, after)).isNegative();
  }

  @Test
  void laterIdsSortAfterEarlierOnes() {
    var clock = new SteppingClock(NOW);
    var generator = new JobIdGenerator(clock);
    UUID earlier = generator.next();

    clock.now = NOW.plusMillis(1);
    UUID later = generator.next();

    assertThat(DATABASE_ORDER.compare(earlier, later)).isNegative();
    assertThat(earlier.toString()).isLessThan(later.toString());
  }

  private static List<UUID> generate(JobIdGenerator generator, int count) {
    var ids = new ArrayList<UUID>(count);
    for (int i = 0; i < count; i++) {
      ids.add(generator.next());
    }
    return ids;
  }

  private static final class SteppingClock extends Clock {
    Instant now;

    SteppingClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
