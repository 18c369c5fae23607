package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.JobEvent;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobSuccessIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aJobIsStoredUnderItsKeyVerifiedReportedAndAcknowledged() throws IOException {
    var content = Content.random(300_000, 1);
    origin.route("/report.pdf", Routes.content(content, "application/pdf"));

    UUID jobId = submit("/report.pdf", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    String key = jobId.toString().substring(34) + "/" + jobId;
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    assertThat(partFile(jobId)).doesNotExist();
    // A Progress event may come between them on a slow machine (interval 300 ms).
    events = events.stream().filter(e -> !(e instanceof JobEvent.Progress)).toList();
    assertThat(events).hasSize(2);
    var started = (JobEvent.Started) events.get(0);
    assertThat(started.jobId()).isEqualTo(jobId);
    assertThat(started.attempt()).isEqualTo(1);
    assertThat(started.worker()).isEqualTo("test-worker");
    var succeeded = (JobEvent.Succeeded) events.get(1);
    assertThat(succeeded.attempt()).isEqualTo(1);
    assertThat(succeeded.worker()).isEqualTo("test-worker");
    assertThat(succeeded.startedAt()).isEqualTo(started.at());
    assertThat(succeeded.at()).isAfterOrEqualTo(started.at());
    assertThat(succeeded.bytes()).isEqualTo(300_000);
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(succeeded.contentType()).isEqualTo("application/pdf");
    assertThat(succeeded.storageKey()).isEqualTo(key);
    assertThat(origin.requests("/report.pdf")).isEqualTo(1);
    assertAcknowledged();
  }

  @Test
  void aLargeChunkedBodyWithoutContentLengthIsStreamedToStorage() throws IOException {
    var content = Content.random(20L * 1024 * 1024, 2);
    origin.route("/big.bin", Routes.chunked(content));

    UUID jobId = submit("/big.bin", null);
    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();

    assertThat(succeeded.bytes()).isEqualTo(content.size());
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(succeeded.contentType()).isEqualTo("application/octet-stream");
    assertThat(Files.size(storedFile(jobId))).isEqualTo(content.size());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
  }

  @Test
  void redirectsAreFollowed() {
    var content = Content.random(1_000, 3);
    origin.route("/moved", Routes.redirect(301, "/elsewhere"));
    origin.route("/elsewhere", Routes.redirect(302, origin.url("/final").toString()));
    origin.route("/final", Routes.content(content));

    UUID jobId = submit("/moved", content.sha256().toUpperCase(java.util.Locale.ROOT));

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
  }

  @Test
  void anEmptyBodyWithoutContentTypeIsStoredAsAnEmptyFile() {
    origin.route(
        "/empty",
        (exchange, n) -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });

    UUID jobId = submit("/empty", null);

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.bytes()).isZero();
    assertThat(succeeded.contentType()).isNull();
    assertThat(succeeded.sha256()).isEqualTo(Content.random(0, 0).sha256());
    assertThat(storedFile(jobId)).isEmptyFile();
  }

  @Test
  void aSlowDownloadReportsProgressAtMostEveryInterval() {
    var content = Content.random(8 * 16_384, 4);
    origin.route("/slow.bin", (exchange, n) -> trickle(exchange, content.bytes(), 8, 150));

    UUID jobId = submit("/slow.bin", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events.getFirst()).isInstanceOf(JobEvent.Started.class);
    assertThat(events.getLast()).isInstanceOf(JobEvent.Succeeded.class);
    List<JobEvent.Progress> progress =
        events.stream()
            .filter(JobEvent.Progress.class::isInstance)
            .map(JobEvent.Progress.class::cast)
            .toList();
    // 8 chunks over about 1.2 s, at most one report per 300 ms
    assertThat(progress).hasSizeBetween(1, 4);
    assertThat(progress)
        .allSatisfy(
            p -> {
              assertThat(p.totalBytes()).isEqualTo(content.size());
              assertThat(p.bytes()).isBetween(1L, content.size());
              assertThat(p.worker()).isEqualTo("test-worker");
            });
    assertThat(progress).extracting(JobEvent.Progress::bytes).isSorted();
    for (int i = 1; i < progress.size(); i++) {
      assertThat(Duration.between(progress.get(i - 1).at(), progress.get(i).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  private static void trickle(
      com.sun.net.httpserver.HttpExchange exchange, byte[] body, int chunks, long pauseMillis)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, body.length);
    int chunk = body.length / chunks;
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < chunks; i++) {
        out.write(body, i * chunk, chunk);
        out.flush();
        Thread.sleep(pauseMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }
}
