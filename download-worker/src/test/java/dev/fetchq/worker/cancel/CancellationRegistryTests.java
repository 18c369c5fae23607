package dev.fetchq.worker.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationRegistryTests {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  private final CancellationRegistry registry =
      new CancellationRegistry(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(7));

  @Test
  void aCancelledJobIsKnownAsCancelled() {
    assertThat(registry.isCancelled(JOB)).isFalse();

    registry.cancel(JOB, NOW);
    registry.cancel(JOB, NOW.plusSeconds(1));

    assertThat(registry.isCancelled(JOB)).isTrue();
    assertThat(registry.isCancelled(UUID.randomUUID())).isFalse();
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void aCancellationStopsTheDownloadsOfThatJobRunningHere() {
    var stopped = new AtomicInteger();
    var other = new AtomicInteger();
    try (var _ = registry.register(JOB, stopped::incrementAndGet);
        var _ = registry.register(UUID.randomUUID(), other::incrementAndGet)) {

      registry.cancel(JOB, NOW);
    }

    assertThat(stopped).hasValue(1);
    assertThat(other).hasValue(0);
  }

  @Test
  void aDownloadRegisteredAfterTheCancellationIsStoppedAtOnce() {
    registry.cancel(JOB, null);
    var stopped = new AtomicInteger();

    try (var _ = registry.register(JOB, stopped::incrementAndGet)) {
      assertThat(stopped).hasValue(1);
    }
  }

  @Test
  void aFinishedDownloadIsNotStoppedAnyMore() {
    var stopped = new AtomicInteger();
    registry.register(JOB, stopped::incrementAndGet).close();

    registry.cancel(JOB, NOW);

    assertThat(stopped).hasValue(0);
  }

  @Test
  void cancellationsOlderThanTheStreamsRetentionAreForgotten() {
    var clock = new MutableClock(NOW);
    var forgetful = new CancellationRegistry(clock, Duration.ofDays(7));
    forgetful.cancel(JOB, NOW);

    clock.now = NOW.plus(Duration.ofDays(7)).plus(Duration.ofHours(2));
    UUID recent = UUID.randomUUID();
    forgetful.cancel(recent, clock.now);

    assertThat(forgetful.isCancelled(JOB)).isFalse();
    assertThat(forgetful.isCancelled(recent)).isTrue();
  }

  @Test
  void theRetentionIsReadInRabbitMqsMaxAgeSyntax() {
    assertThat(CancellationRegistry.maxAge("7D")).isEqualTo(Duration.ofDays(7));
    assertThat(CancellationRegistry.maxAge("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(CancellationRegistry.maxAge("1Y")).isEqualTo(Duration.ofDays(365));
    assertThat(CancellationRegistry.maxAge("90s")).isEqualTo(Duration.ofSeconds(90));
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
