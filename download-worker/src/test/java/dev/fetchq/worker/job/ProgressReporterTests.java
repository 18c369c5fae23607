package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.JobEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class ProgressReporterTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final List<JobEvent> published = new ArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong responses = new AtomicLong();
  private final List<Boolean> partials = new ArrayList<>();
  private final ProgressReporter reporter =
      new ProgressReporter(
          new JobDelivery(
              new DownloadJob(JOB, "http://h/x", null),
              2,
              1,
              new Message(new byte[0], new MessageProperties())),
          "w-1",
          clock,
          Duration.ofSeconds(2),
          START,
          published::add,
          bytes::addAndGet,
          responses::incrementAndGet,
          partials::add);

  @Test
  void theStartOfTheResponseIsPassedOnForTheTimeToFirstByte() {
    reporter.responseStarted();

    assertThat(responses).hasValue(1);
    assertThat(published).isEmpty();
  }

  @Test
  void aDownloadShorterThanTheIntervalReportsNoProgressButCountsItsBytes() {
    reporter.bytesStored(65_536, 100_000L);
    clock.advance(Duration.ofMillis(1999));
    reporter.bytesStored(100_000, 100_000L);

    assertThat(published).isEmpty();
    assertThat(bytes).hasValue(100_000);
  }

  @Test
  void onlyTheFirstResponseCountsAsTheTimeToFirstByte() {
    reporter.responseStarted();
    reporter.responseStarted();

    assertThat(responses).hasValue(1);
  }

  @Test
  void aResumedDownloadCountsOnlyTheBytesItReceivedButReportsTheWholeFile() {
    reporter.resumed(40_000);
    clock.advance(Duration.ofSeconds(2));
    reporter.bytesStored(50_000, 100_000L);

    assertThat(bytes).hasValue(10_000);
    assertThat(partials).containsExactly(true);
    assertThat(published)
        .containsExactly(
            new JobEvent.Progress(JOB, 2, "w-1", START.plusSeconds(2), 50_000, 100_000L));
  }

  @Test
  void aDownloadThatStartsAgainCountsTheBytesItReceivesAgain() {
    reporter.resumed(40_000);
    reporter.bytesStored(60_000, 100_000L);
    reporter.restarted(60_000);
    reporter.bytesStored(30_000, 100_000L);

    assertThat(bytes).hasValue(20_000 + 30_000);
    assertThat(partials).containsExactly(true, false);
  }

  @Test
  void progressIsReportedAtMostOncePerInterval() {
    clock.advance(Duration.ofSeconds(2));
    reporter.bytesStored(1_000, null);
    clock.advance(Duration.ofSeconds(1));
    reporter.bytesStored(2_000, null);
    clock.advance(Duration.ofSeconds(1));
    reporter.bytesStored(3_000, null);

    assertThat(published)
        .containsExactly(
            new JobEvent.Progress(JOB, 2, "w-1", START.plusSeconds(2), 1_000, null),
            new JobEvent.Progress(JOB, 2, "w-1", START.plusSeconds(4), 3_000, null));
    assertThat(bytes).hasValue(3_000);
  }

  @Test
  void anUnconfirmedProgressEventDoesNotStopTheDownload() {
    var failing =
        new ProgressReporter(
            new JobDelivery(
                new DownloadJob(JOB, "http://h/x", null),
                1,
                1,
                new Message(new byte[0], new MessageProperties())),
            "w-1",
            clock,
            Duration.ofSeconds(2),
            START,
            event -> {
              throw new PublishFailedException("no confirm within the timeout");
            },
            bytes::addAndGet,
            () -> {},
            continued -> {});
    clock.advance(Duration.ofSeconds(3));

    failing.bytesStored(10, 20L);

    assertThat(bytes).hasValue(10);
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
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
