package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stopping worker waits for running downloads up to its shutdown timeout, then hands back what it
 * could not finish: the job is delivered again, not failed, and continues where it stopped when the
 * origin supports ranges.
 */
class ShutdownIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aDownloadHandedBackAtShutdownKeepsItsPartialFileAndTheNextDeliveryResumesIt()
      throws IOException {
    var content = Content.random(300_000, 31);
    // The first request trickles at 20 kB/s (15 s), far beyond the 2 s shutdown timeout.
    origin.route(
        "/drained.bin",
        Routes.times(
            1, Routes.rangeable(content, "v1").throttled(20_000), Routes.rangeable(content, "v1")));
    double requeuedBefore = jobsCount("requeued");
    var container = listeners.getListenerContainer(JOB_LISTENER);

    UUID jobId = submit("/drained.bin", content.sha256());
    await().atMost(TIMEOUT).until(() -> partSize(jobId) >= 20_000);
    long kept;
    try {
      container.stop();

      await().atMost(TIMEOUT).until(() -> jobsCount("requeued") == requeuedBefore + 1);
      assertThat(queueDepth(Topology.JOBS_QUEUE)).isEqualTo(1);
      assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
      assertThat(partMetaFile(jobId)).exists();
      kept = Files.size(partFile(jobId));
      assertThat(kept).isBetween(20_000L, 299_999L);
    } finally {
      container.start();
    }

    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events).noneMatch(JobEvent.Failed.class::isInstance);
    var succeeded = (JobEvent.Succeeded) events.getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    var resumed = origin.history("/drained.bin").get(1);
    assertThat(resumed.header("Range")).isEqualTo("bytes=" + kept + "-");
    assertThat(resumed.bodyBytes()).isEqualTo(300_000 - kept);
    assertThat(partFile(jobId)).doesNotExist();
    assertThat(partMetaFile(jobId)).doesNotExist();
  }

  @Test
  void aDownloadThatCannotBeResumedIsHandedBackAndDownloadedAgainWhole() {
    var content = Content.random(64 * 1024, 30);
    // The first request trickles for ~13 s, far beyond the 2 s shutdown timeout; later ones are
    // quick. No validator (no ETag, no Last-Modified): nothing can be resumed.
    origin.route(
        "/interrupted.bin",
        (exchange, n) -> {
          if (n == 1) {
            trickle(exchange, content.bytes());
          } else {
            Routes.content(content).handle(exchange, n);
          }
        });
    double requeuedBefore = jobsCount("requeued");
    var container = listeners.getListenerContainer(JOB_LISTENER);

    UUID jobId = submit("/interrupted.bin", null);
    await().atMost(TIMEOUT).until(() -> origin.requests("/interrupted.bin") == 1);
    try {
      container.stop();

      await().atMost(TIMEOUT).until(() -> queueDepth(Topology.JOBS_QUEUE) == 1);
      assertThat(jobsCount("requeued")).isEqualTo(requeuedBefore + 1);
      assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
      assertThat(partFile(jobId)).doesNotExist();
    } finally {
      container.start();
    }

    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events).noneMatch(JobEvent.Failed.class::isInstance);
    assertThat(events).filteredOn(JobEvent.Started.class::isInstance).hasSize(2);
    var succeeded = (JobEvent.Succeeded) events.getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(origin.requests("/interrupted.bin")).isEqualTo(2);
    assertThat(origin.history("/interrupted.bin").get(1).header("Range")).isNull();
  }

  private static long partSize(UUID jobId) {
    try {
      return Files.size(partFile(jobId));
    } catch (IOException e) {
      return 0;
    }
  }

  private static void trickle(HttpExchange exchange, byte[] body) throws IOException {
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int offset = 0; offset < body.length; offset += 512) {
        out.write(body, offset, 512);
        out.flush();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
