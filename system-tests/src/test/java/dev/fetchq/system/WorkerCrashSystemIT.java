package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A worker killed with SIGKILL in the middle of a download: another worker resumes it. */
class WorkerCrashSystemIT {

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void aDownloadCutByKillMinus9IsResumedByAnotherWorkerWithARangeRequest() {
    var content = Content.random(24L * 1024 * 1024, 51);
    String path = "/crash-" + System.nanoTime();
    fetchq.origin.route(path, Routes.rangeable(content, "v1").throttled(4L * 1024 * 1024));
    var submitted = fetchq.client.submit(fetchq.origin.url(path).toString());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    String id = submitted.body().get("id").asString();
    // A progress event (every 2 s) says the download is well under way.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetchq.client.job(id).get("bytes").asLong(0) > 0);
    String victim = fetchq.client.job(id).get("worker").asString();

    Instant killedAt = fetchq.origin.now();
    fetchq.killWorker(victim);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fetchq.client.status(id).equals("SUCCEEDED"));

      var job = fetchq.client.job(id);
      assertThat(job.get("sha256").asString()).isEqualTo(content.sha256());
      assertThat(job.get("worker").asString()).isNotEqualTo(victim);
      var history = fetchq.origin.history(path);
      assertThat(history).hasSizeGreaterThanOrEqualTo(2);
      OriginServer.Request resumed = history.getLast();
      String range = resumed.header("Range");
      assertThat(range).as("the next worker asks for the rest only").matches("bytes=[1-9][0-9]*-");
      long resumedFrom = Long.parseLong(range.substring(6, range.length() - 1));
      long served = history.stream().mapToLong(OriginServer.Request::bodyBytes).sum();
      long refetched = served - content.size();
      Duration toResume = Duration.between(killedAt, resumed.arrivedAt());
      System.out.printf(
          "kill -9 of %s: resumed from byte %d of %d after %d ms; %d bytes fetched again (%.2f %%)%n",
          victim,
          resumedFrom,
          content.size(),
          toResume.toMillis(),
          refetched,
          100.0 * refetched / content.size());
      assertThat(refetched).as("bytes fetched twice").isLessThan(content.size() / 4);
      assertThat(toResume).isLessThan(Duration.ofSeconds(10));
      assertThat(fetchq.storedFiles())
          .filteredOn(f -> f.contains(id))
          .as("one final file, no part left")
          .hasSize(1)
          .noneMatch(f -> f.endsWith(".part") || f.endsWith(".meta"));
    } finally {
      fetchq.startWorker(victim);
    }
  }
}
