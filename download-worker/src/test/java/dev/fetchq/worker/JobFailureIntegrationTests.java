package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;

class JobFailureIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aChecksumMismatchDeadLettersTheJobAndLeavesNoFile() {
    origin.route("/tampered.bin", Routes.content(Content.random(50_000, 10)));
    String expected = Content.random(50_000, 11).sha256();

    UUID jobId = submit("/tampered.bin", expected);

    JobEvent.Failed failed = failedEvent(jobId);
    assertThat(failed.failure().reason()).isEqualTo(FailureReason.CHECKSUM_MISMATCH);
    assertThat(failed.failure().message())
        .contains("expected " + expected, Content.random(50_000, 10).sha256());
    Message dead = deadLetter(jobId);
    assertThat(dead.getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "CHECKSUM_MISMATCH")
        .containsEntry(Headers.FAILURE_MESSAGE, failed.failure().message())
        .containsEntry(Headers.FAILURE_WORKER, "test-worker")
        .containsEntry(Headers.ATTEMPT, 1)
        .doesNotContainKey(Headers.FAILURE_HTTP_STATUS);
    assertThat(storedFile(jobId)).doesNotExist();
    assertThat(partFile(jobId)).doesNotExist();
  }

  @Test
  void notFoundIsAPermanentClientErrorDeadLetteredWithItsStatus() {
    origin.route("/gone", Routes.status(404));

    UUID jobId = submit(origin.url("/gone").toString(), null, 3);

    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events).extracting(JobEvent::attempt).containsOnly(3);
    assertThat(events.getFirst()).isInstanceOf(JobEvent.Started.class);
    var failed = (JobEvent.Failed) events.getLast();
    assertThat(failed.failure().reason()).isEqualTo(FailureReason.HTTP_CLIENT_ERROR);
    assertThat(failed.failure().httpStatus()).isEqualTo(404);
    assertThat(failed.failure().message()).isEqualTo("HTTP 404 Not Found");

    Message dead = deadLetter(jobId);
    Map<String, Object> headers = dead.getMessageProperties().getHeaders();
    assertThat(headers)
        .containsEntry(Headers.FAILURE_REASON, "HTTP_CLIENT_ERROR")
        .containsEntry(Headers.FAILURE_HTTP_STATUS, 404)
        .containsEntry(Headers.FAILURE_MESSAGE, "HTTP 404 Not Found")
        .containsEntry(Headers.FAILURE_WORKER, "test-worker")
        .containsEntry(Headers.ATTEMPT, 3)
        .doesNotContainKey("x-death");
    assertThat(Instant.parse((String) headers.get(Headers.FAILED_AT))).isEqualTo(failed.at());
    // The original job message, unchanged, so the admin API can replay it.
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8))
        .contains(jobId.toString(), origin.url("/gone").toString());
    assertThat(dead.getMessageProperties().getContentType()).isEqualTo("application/json");
    assertThat(queueDepth(Topology.JOBS_QUEUE)).isZero();
  }

  @Test
  void aContentLengthOverTheLimitIsRejectedBeforeTheBodyIsRead() {
    origin.route("/huge.iso", Routes.content(Content.random(40L * 1024 * 1024, 12)));

    UUID jobId = submit("/huge.iso", null);

    var failure = failedEvent(jobId).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(failure.message()).contains("Content-Length 41943040", "33554432");
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "TOO_LARGE");
    assertThat(partFile(jobId)).doesNotExist();
  }

  @Test
  void aChunkedBodyOverTheLimitIsCutOffNotDrained() {
    // 16 GiB: reading it to the end would take far longer than the test waits.
    origin.route("/endless", Routes.chunked(Content.random(16L << 30, 13)));
    long start = System.nanoTime();

    UUID jobId = submit("/endless", null);

    var failure = failedEvent(jobId).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(failure.message()).contains("more than 33554432 bytes received");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "TOO_LARGE");
    assertThat(storedFile(jobId)).doesNotExist();
    assertThat(partFile(jobId)).doesNotExist();
  }

  @Test
  void anUnsupportedSchemeIsAnInvalidUrlAndNothingIsContacted() {
    UUID jobId = submit("ftp://127.0.0.1/x", null, null);

    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events.getFirst()).isInstanceOf(JobEvent.Started.class);
    var failure = ((JobEvent.Failed) events.getLast()).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.INVALID_URL);
    assertThat(failure.message()).contains("unsupported URL scheme 'ftp'");
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "INVALID_URL");
  }

  @Test
  void tooManyRedirectsIsAnInvalidUrl() {
    for (int i = 0; i < 7; i++) {
      origin.route("/hop" + i, Routes.redirect(302, "/hop" + (i + 1)));
    }

    UUID jobId = submit("/hop0", null);

    var failure = failedEvent(jobId).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.INVALID_URL);
    assertThat(failure.message()).contains("Maximum redirects (5) exceeded");
    assertThat(origin.requests("/hop5")).isEqualTo(1);
    assertThat(origin.requests("/hop6")).isZero();
    deadLetter(jobId);
  }

  @Test
  void aRedirectToAnotherSchemeIsAnInvalidUrl() {
    origin.route("/to-ftp", Routes.redirect(302, "ftp://127.0.0.1/x"));

    UUID jobId = submit("/to-ftp", null);

    var failure = failedEvent(jobId).failure();
    assertThat(failure.reason()).isEqualTo(FailureReason.INVALID_URL);
    assertThat(failure.message()).contains("ftp://127.0.0.1/x", "unsupported URL scheme 'ftp'");
    deadLetter(jobId);
  }

  // The last two tests submit the job as its last allowed attempt (3 of 3): they are about how the
  // failure is classified, not about retrying it (RetryIntegrationTests).

  @Test
  void aRefusedConnectionIsAConnectionFailure() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    UUID jobId = submit("http://127.0.0.1:" + closedPort + "/x", null, 3);

    assertThat(failedEvent(jobId).failure().reason()).isEqualTo(FailureReason.CONNECTION);
    deadLetter(jobId);
  }

  @Test
  void anOriginSilentForLongerThanTheResponseTimeoutIsATimeout() {
    origin.route(
        "/stalled",
        (exchange, n) -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          Routes.status(200).handle(exchange, n);
        });

    UUID jobId = submit(origin.url("/stalled").toString(), null, 3);

    assertThat(failedEvent(jobId).failure().reason()).isEqualTo(FailureReason.TIMEOUT);
    deadLetter(jobId);
  }

  private JobEvent.Failed failedEvent(UUID jobId) {
    List<JobEvent> events = eventsUntilFinished(jobId);
    assertThat(events.getFirst()).isInstanceOf(JobEvent.Started.class);
    assertThat(events.getLast()).isInstanceOf(JobEvent.Failed.class);
    return (JobEvent.Failed) events.getLast();
  }
}
