package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job pipeline across processes: api-service and two download-workers on the real broker and
 * database, driven only over HTTP, the way a user drives fetchq.
 */
class PipelineSystemIT {

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void everyJobSucceedsWithTheOriginsExactBytesAcrossBothWorkers() {
    Map<String, Content> files = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      long size = i == 0 ? 1 : (i % 10 == 0 ? 2L * 1024 * 1024 + i : 4096L * i + i);
      files.put("/files/" + i + ".bin", Content.random(size, i));
    }
    files.forEach((path, content) -> fetchq.origin.route(path, Routes.content(content)));
    var chunked = Content.random(8L * 1024 * 1024 + 17, 99);
    fetchq.origin.route("/files/chunked.bin", Routes.chunked(chunked));
    files.put("/files/chunked.bin", chunked);

    Map<String, Content> jobs = new LinkedHashMap<>();
    files.forEach(
        (path, content) -> {
          var response = fetchq.client.submit(fetchq.origin.url(path).toString());
          assertThat(response.status()).as(response.toString()).isEqualTo(202);
          String id = response.body().get("id").asString();
          assertThat(response.location()).isEqualTo("/jobs/" + id);
          jobs.put(id, content);
        });

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(jobs.keySet())
                    .allSatisfy(
                        id -> assertThat(fetchq.client.status(id)).as(id).isEqualTo("SUCCEEDED")));

    Set<String> workers = new HashSet<>();
    jobs.forEach(
        (id, content) -> {
          var job = fetchq.client.job(id);
          assertThat(job.get("sha256").asString()).as(id).isEqualTo(content.sha256());
          assertThat(job.get("bytes").asLong()).as(id).isEqualTo(content.size());
          assertThat(job.get("attempts").asInt()).as(id).isEqualTo(1);
          assertThat(job.get("finishedAt").isNull()).as(id).isFalse();
          assertThat(fetchq.client.sha256Of("/jobs/" + id + "/content"))
              .as(id)
              .isEqualTo(content.sha256());
          workers.add(job.get("worker").asString());
        });
    assertThat(workers)
        .as("jobs are shared by the scaled-out workers")
        .contains("worker-1", "worker-2");
  }

  @Test
  void jobsSubmittedWhileTheBrokerIsUnreachableAreAcceptedAndCompleteOnceItIsBack() {
    var content = Content.random(10_000, 7);
    fetchq.origin.route("/outage.bin", Routes.content(content));
    List<String> ids = new ArrayList<>();
    fetchq.apiToBroker.cut();
    try {
      for (int i = 0; i < 5; i++) {
        var response = fetchq.client.submit(fetchq.origin.url("/outage.bin") + "?n=" + i);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        ids.add(response.body().get("id").asString());
      }
      // Nothing can reach a worker while the api cannot reach the broker.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> ids.stream().allMatch(id -> fetchq.client.status(id).equals("QUEUED")));
    } finally {
      fetchq.apiToBroker.restore();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(ids)
                    .allSatisfy(
                        id -> assertThat(fetchq.client.status(id)).as(id).isEqualTo("SUCCEEDED")));
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(fetchq.client.job(id).get("sha256").asString())
                    .isEqualTo(content.sha256()));
  }

  @Test
  void aUserGetsClearProblemsForBadInputAndUnknownJobs() {
    var unknown = fetchq.client.get("/jobs/01890a5d-ac96-774b-bcce-b302099a8057");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");

    var invalid = fetchq.client.post("/jobs", "{\"url\":\"ftp://example.org/file\"}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.contentType()).startsWith("application/problem+json");

    var malformed = fetchq.client.post("/jobs", "{\"url\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
  }
}
