package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancellation across worker processes, including a worker that starts after the cancel. */
class CancellationSystemIT {

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void aRunningDownloadStopsWithinTwoSecondsAndLeavesNoFile() {
    String path = "/slow-" + System.nanoTime();
    fetchq.origin.route(path, Routes.slow(Content.random(20L * 1024 * 1024, 41), 128 * 1024));
    String id = submit(path);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> fetchq.client.status(id).equals("RUNNING") && fetchq.origin.requests(path) == 1);

    Instant cancelledAt = fetchq.origin.now();
    var cancel = fetchq.client.delete("/jobs/" + id);

    assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
    assertThat(fetchq.client.status(id)).isEqualTo("CANCELLED");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fetchq.origin.history(path).getFirst().endedAt() != null);
    var request = fetchq.origin.history(path).getFirst();
    assertThat(Duration.between(cancelledAt, request.endedAt())).isLessThan(Duration.ofSeconds(2));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(fetchq.storedFiles()).noneMatch(f -> f.contains(id)));
    assertThat(fetchq.client.delete("/jobs/" + id).status()).as("already final").isEqualTo(409);
  }

  @Test
  void aJobCancelledWhileWaitingForItsRetryIsNeverFetchedAgain() {
    String path = "/wait-" + System.nanoTime();
    // Retry-After 3 s picks the 3 s tier: time to cancel while it waits.
    fetchq.origin.route(path, Routes.retryAfter(503, 3, Routes.content(Content.random(100, 42))));
    String id = submit(path);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetchq.client.status(id).equals("RETRY_SCHEDULED"));

    assertThat(fetchq.client.delete("/jobs/" + id).status()).isEqualTo(202);

    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .until(() -> fetchq.origin.requests(path) == 1);
    assertThat(fetchq.client.status(id)).isEqualTo("CANCELLED");
  }

  @Test
  void aQueuedJobCancelledBeforeAnyWorkerRunsIsNeverDownloadedByAWorkerStartedLater() {
    String path = "/queued-" + System.nanoTime();
    fetchq.origin.route(path, Routes.content(Content.random(100, 43)));
    var running = fetchq.workerNames();
    running.forEach(fetchq::stopWorker);
    try {
      String id = submit(path);
      assertThat(fetchq.client.status(id)).isEqualTo("QUEUED");
      assertThat(fetchq.client.delete("/jobs/" + id).status()).isEqualTo(202);
      // A control job submitted after the cancel proves the new worker consumes the queue.
      String control = "/control-" + System.nanoTime();
      fetchq.origin.route(control, Routes.content(Content.random(100, 44)));
      String controlId = submit(control);

      fetchq.startWorker("worker-late");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fetchq.client.status(controlId).equals("SUCCEEDED"));
      assertThat(fetchq.origin.requests(path)).isZero();
      assertThat(fetchq.client.status(id)).isEqualTo("CANCELLED");
    } finally {
      fetchq.stopWorker("worker-late");
      running.forEach(fetchq::startWorker);
    }
  }

  private static String submit(String path) {
    var response = fetchq.client.submit(fetchq.origin.url(path).toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.body().get("id").asString();
  }
}
