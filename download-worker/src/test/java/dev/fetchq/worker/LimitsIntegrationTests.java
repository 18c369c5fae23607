package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The time limits of an attempt, short here: at most 10 s, and at least 1 KB/s over every 2 s of
 * body. Both fail the attempt as a transient {@code TIMEOUT} that says which limit it hit.
 */
class LimitsIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aDownloadSlowerThanTheMinimumSpeedIsStoppedAsATimeout() {
    // 200 bytes/s: 100 kB would take more than 8 minutes.
    origin.route("/limits/crawl.bin", Routes.slow(Content.random(100_000, 90), 200));
    long start = System.nanoTime();

    // As the last attempt, so that the failure is final and the test short.
    UUID jobId = submit(origin.url("/limits/crawl.bin").toString(), null, 3);
    List<JobEvent> events = eventsUntilFinished(jobId);

    var failure = ((JobEvent.Failed) events.getLast()).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
    assertThat(failure.message())
        .startsWith("too slow: ")
        .contains("below fetchq.download.min-speed (1024 bytes/s over");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    await()
        .atMost(TIMEOUT)
        .until(() -> origin.history("/limits/crawl.bin").getFirst().endedAt() != null);
    assertThat(origin.history("/limits/crawl.bin").getFirst().brokenOff())
        .as("the worker closed the connection")
        .isTrue();
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "TIMEOUT");
    assertThat(partFile(jobId)).doesNotExist();
  }

  @Test
  void anAttemptLongerThanTheMaximumDurationStopsAndTheNextContinuesWhereItStopped() {
    // 5 kB/s: 56 kB take about 11 s, one more than an attempt may last.
    var content = Content.random(56_000, 91);
    origin.route("/limits/long.bin", Routes.rangeable(content, "v1").throttled(5_000));

    UUID jobId = submit("/limits/long.bin", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + "@" + e.attempt())
        .containsSubsequence("RetryScheduled@1", "Started@2", "Succeeded@2");
    var retry =
        events.stream()
            .filter(JobEvent.RetryScheduled.class::isInstance)
            .map(JobEvent.RetryScheduled.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(retry.failure().reason()).isEqualTo(FailureReason.TIMEOUT);
    assertThat(retry.failure().message())
        .startsWith("the attempt ran longer than fetchq.download.max-duration (10s)");
    var succeeded = (JobEvent.Succeeded) events.getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    var second = origin.history("/limits/long.bin").get(1);
    assertThat(second.header("Range")).matches("bytes=[1-9]\\d{4}-");
    long resumedAt = Long.parseLong(second.header("Range").replaceAll("\\D", ""));
    assertThat(second.bodyBytes()).isEqualTo(56_000 - resumedAt);
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
  }
}
