package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a worker process with downloads in flight, as {@code docker stop} or a Kubernetes
 * rollout sends it: the worker stops taking jobs, lets running downloads finish within its shutdown
 * timeout ({@link FetchqCluster#WORKER_SHUTDOWN_TIMEOUT}) and hands back the rest, which another
 * worker resumes. Nothing is lost, nothing is left RUNNING, nothing ends twice.
 */
class WorkerDrainSystemIT {

  private static final Duration EXIT_WITHIN = FetchqCluster.WORKER_SHUTDOWN_TIMEOUT.plusSeconds(10);

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void aStoppingWorkerFinishesADownloadThatFitsItsShutdownTimeout() {
    // ~2.5 s at 800 kB/s: well inside the 5 s the worker gives running downloads.
    var content = Content.random(2_000_000, 61);
    String path = "/drain-fits-" + System.nanoTime();
    fetchq.origin.route(path, Routes.rangeable(content, "v1").throttled(800_000));
    String id = fetchq.submit(path, content);
    String victim = awaitWorker(id);

    Instant terminatedAt = Instant.now();
    var stopping = fetchq.terminateWorker(victim);
    try {
      var exit = stopping.awaitExit(EXIT_WITHIN);
      Duration toExit = Duration.between(terminatedAt, Instant.now());
      assertThat(exit).as("%s exits after SIGTERM", victim).isPresent();
      assertThat(exit.getAsInt()).as("exit code after a clean drain").isIn(0, 143);
      awaitFinal(id);
      var job = fetchq.client.job(id);
      System.out.printf(
          "SIGTERM to %s with a 2.5 s download running: it finished the download and exited"
              + " after %d ms (exit code %d); job %s by %s%n",
          victim,
          toExit.toMillis(),
          exit.getAsInt(),
          job.get("status").asString(),
          job.get("worker").asString());
      assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
      assertThat(job.get("sha256").asString()).isEqualTo(content.sha256());
      assertThat(job.get("worker").asString())
          .as("finished by the stopping worker")
          .isEqualTo(victim);
      assertThat(fetchq.origin.requests(path)).as("downloaded once, not handed back").isEqualTo(1);
    } finally {
      fetchq.startWorker(victim);
    }
  }

  @Test
  void aStoppingWorkerHandsBackALongDownloadWhichAnotherWorkerResumes() {
    // ~12 s at 2 MB/s: longer than the shutdown timeout.
    var content = Content.random(24_000_000, 62);
    String path = "/drain-long-" + System.nanoTime();
    fetchq.origin.route(path, Routes.rangeable(content, "v1").throttled(2_000_000));
    String id = fetchq.submit(path, content);
    String victim = awaitWorker(id);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetchq.client.job(id).get("bytes").asLong(0) > 0);

    Instant terminatedAt = fetchq.origin.now();
    var stopping = fetchq.terminateWorker(victim);
    try {
      // Submitted once it has begun to stop (it says so on its readiness probe): must go to the
      // other worker.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !stopping.ready());
      var next = Content.random(4096, 63);
      String nextPath = "/drain-next-" + System.nanoTime();
      fetchq.origin.route(nextPath, Routes.content(next));
      String nextId = fetchq.submit(nextPath, next);

      var exit = stopping.awaitExit(EXIT_WITHIN);
      Duration toExit = Duration.between(terminatedAt, fetchq.origin.now());
      assertThat(exit).as("%s exits after SIGTERM", victim).isPresent();
      awaitFinal(id);
      awaitFinal(nextId);

      var job = fetchq.client.job(id);
      assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
      assertThat(job.get("sha256").asString()).isEqualTo(content.sha256());
      assertThat(job.get("worker").asString()).isNotEqualTo(victim);
      assertThat(job.get("attempts").asInt())
          .as("a hand-back is not a failed attempt")
          .isEqualTo(1);
      assertThat(fetchq.client.job(nextId).get("worker").asString())
          .as("a stopping worker takes no new job")
          .isNotEqualTo(victim);

      List<OriginServer.Request> history = fetchq.origin.history(path);
      assertThat(history).hasSizeGreaterThanOrEqualTo(2);
      var resumed = history.getLast();
      assertThat(resumed.header("Range"))
          .as("resumed, not restarted")
          .matches("bytes=[1-9][0-9]*-");
      long served = history.stream().mapToLong(OriginServer.Request::bodyBytes).sum();
      long refetched = served - content.size();
      System.out.printf(
          "SIGTERM to %s with a 12 s download running: handed back, exited after %d ms (exit"
              + " code %d); resumed by %s %d ms after the SIGTERM with %s; %d bytes fetched again"
              + " (%.2f %%)%n",
          victim,
          toExit.toMillis(),
          exit.getAsInt(),
          job.get("worker").asString(),
          Duration.between(terminatedAt, resumed.arrivedAt()).toMillis(),
          resumed.header("Range"),
          refetched,
          100.0 * refetched / content.size());
      assertThat(toExit)
          .as("the worker hands back at its shutdown timeout")
          .isLessThan(EXIT_WITHIN);
      assertThat(refetched).isLessThan(content.size() / 4);
    } finally {
      fetchq.startWorker(victim);
    }
  }

  private static String awaitWorker(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fetchq.client.job(id).hasNonNull("worker"));
    return fetchq.client.job(id).get("worker").asString();
  }

  private static void awaitFinal(String id) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> List.of("SUCCEEDED", "DEAD", "CANCELLED").contains(fetchq.client.status(id)));
  }
}
