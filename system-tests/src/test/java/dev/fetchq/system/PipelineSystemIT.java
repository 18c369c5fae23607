package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.PostgresEndpoint;
import dev.fetchq.testsupport.RabbitEndpoint;
import dev.fetchq.testsupport.Routes;
import dev.fetchq.testsupport.TcpProxy;
import dev.fetchq.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built jars as separate processes (api-service and two download-workers) on the real broker
 * and database, driven only over HTTP, the way a user drives fetchq.
 */
class PipelineSystemIT {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private static OriginServer origin;
  private static TcpProxy apiToBroker;
  private static final List<ServiceProcess> processes = new ArrayList<>();
  private static FetchqClient client;
  private static Path storage;

  @BeforeAll
  static void startFetchq() throws Exception {
    RabbitEndpoint rabbit = TestServices.rabbit();
    PostgresEndpoint postgres = TestServices.postgres();
    origin = OriginServer.start();
    storage = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "storage-");
    // The api reaches the broker through a proxy the tests can cut; the workers connect directly.
    apiToBroker = TcpProxy.start(rabbit.host(), rabbit.port());

    int apiPort = ServiceProcess.freePort();
    int apiManagementPort = ServiceProcess.freePort();
    Map<String, String> apiEnv = new HashMap<>();
    apiEnv.putAll(postgres.environment());
    apiEnv.putAll(rabbit.environment());
    apiEnv.put("SPRING_RABBITMQ_PORT", Integer.toString(apiToBroker.port()));
    apiEnv.put("SERVER_PORT", Integer.toString(apiPort));
    apiEnv.put("MANAGEMENT_SERVER_PORT", Integer.toString(apiManagementPort));
    apiEnv.put("FETCHQ_STORAGE_DIR", storage.toString());
    var api = ServiceProcess.start("api-service", jar("fetchq.api.jar"), apiEnv, apiManagementPort);
    processes.add(api);

    var workers = new ArrayList<ServiceProcess>();
    for (int i = 1; i <= 2; i++) {
      int port = ServiceProcess.freePort();
      Map<String, String> env = new HashMap<>(rabbit.environment());
      env.put("SERVER_PORT", Integer.toString(port));
      env.put("FETCHQ_STORAGE_DIR", storage.toString());
      env.put("FETCHQ_WORKER_ID", "worker-" + i);
      var worker = ServiceProcess.start("worker-" + i, jar("fetchq.worker.jar"), env, port);
      processes.add(worker);
      workers.add(worker);
    }
    api.awaitReady(STARTUP);
    for (var worker : workers) {
      worker.awaitReady(STARTUP);
    }
    client = new FetchqClient(apiPort);
  }

  @AfterAll
  static void stopFetchq() {
    processes.reversed().forEach(ServiceProcess::close);
    if (apiToBroker != null) {
      apiToBroker.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void everyJobSucceedsWithTheOriginsExactBytesAcrossBothWorkers() {
    Map<String, Content> files = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      long size = i == 0 ? 1 : (i % 10 == 0 ? 2L * 1024 * 1024 + i : 4096L * i + i);
      files.put("/files/" + i + ".bin", Content.random(size, i));
    }
    files.forEach((path, content) -> origin.route(path, Routes.content(content)));
    var chunked = Content.random(8L * 1024 * 1024 + 17, 99);
    origin.route("/files/chunked.bin", Routes.chunked(chunked));
    files.put("/files/chunked.bin", chunked);

    Map<String, Content> jobs = new LinkedHashMap<>();
    files.forEach(
        (path, content) -> {
          var response = client.submit(origin.url(path).toString());
          assertThat(response.status()).as(response.toString()).isEqualTo(202);
          assertThat(response.location())
              .isEqualTo("/jobs/" + response.body().get("id").asString());
          jobs.put(response.body().get("id").asString(), content);
        });

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(jobs.keySet())
                    .allSatisfy(id -> assertThat(status(id)).as(id).isEqualTo("SUCCEEDED")));

    Set<String> workers = new HashSet<>();
    jobs.forEach(
        (id, content) -> {
          var job = client.get("/jobs/" + id).body();
          assertThat(job.get("sha256").asString()).as(id).isEqualTo(content.sha256());
          assertThat(job.get("bytes").asLong()).as(id).isEqualTo(content.size());
          assertThat(job.get("attempts").asInt()).as(id).isEqualTo(1);
          assertThat(job.get("finishedAt").isNull()).as(id).isFalse();
          assertThat(client.sha256Of("/jobs/" + id + "/content"))
              .as(id)
              .isEqualTo(content.sha256());
          workers.add(job.get("worker").asString());
        });
    assertThat(workers)
        .as("jobs are shared by the scaled-out workers")
        .containsExactlyInAnyOrder("worker-1", "worker-2");
  }

  @Test
  void jobsSubmittedWhileTheBrokerIsUnreachableAreAcceptedAndCompleteOnceItIsBack() {
    var content = Content.random(10_000, 7);
    origin.route("/outage.bin", Routes.content(content));
    List<String> ids = new ArrayList<>();
    apiToBroker.cut();
    try {
      for (int i = 0; i < 5; i++) {
        var response = client.submit(origin.url("/outage.bin") + "?n=" + i);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        ids.add(response.body().get("id").asString());
      }
      // Nothing can reach a worker while the api cannot reach the broker.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> ids.stream().allMatch(id -> status(id).equals("QUEUED")));
    } finally {
      apiToBroker.restore();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(ids)
                    .allSatisfy(id -> assertThat(status(id)).as(id).isEqualTo("SUCCEEDED")));
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(client.get("/jobs/" + id).body().get("sha256").asString())
                    .isEqualTo(content.sha256()));
  }

  @Test
  void aUserGetsClearProblemsForBadInputAndUnknownJobs() {
    var unknown = client.get("/jobs/01890a5d-ac96-774b-bcce-b302099a8057");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");

    var invalid = client.post("/jobs", "{\"url\":\"ftp://example.org/file\"}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.contentType()).startsWith("application/problem+json");

    var malformed = client.post("/jobs", "{\"url\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
  }

  private static String status(String id) {
    return client.get("/jobs/" + id).body().get("status").asString();
  }

  private static Path jar(String property) {
    String path = System.getProperty(property);
    if (path == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run through Maven)");
    }
    return Path.of(path);
  }
}
