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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A stopping worker waits for running downloads up to its shutdown timeout, then hands back what it
 * could not finish: the job is delivered again, not failed.
 */
class ShutdownIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aDownloadStillRunningAtTheShutdownTimeoutIsHandedBackAndCompletedLater() {
    var content = Content.random(64 * 1024, 30);
    // The first request trickles for ~13 s, far beyond the 2 s shutdown timeout; later ones are
    // quick.
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
