package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An interrupted download continues where it stopped, on whichever delivery comes next, with a
 * {@code Range} request guarded by {@code If-Range}; when the origin cannot continue it (no range
 * support, the file changed, a range that does not fit), it starts again from byte 0. The stored
 * file and its SHA-256 are the same either way.
 */
class ResumeIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aDownloadCutOffMidBodyResumesOnItsRetryWithARangeRequest() {
    var content = Content.random(300_000, 70);
    origin.route("/resume/cut.bin", Routes.rangeable(content, "v1").cutFirstAfter(100_000));
    double resumedBefore = partialFiles("resumed");

    UUID jobId = submit("/resume/cut.bin", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + "@" + e.attempt())
        .containsExactly("Started@1", "RetryScheduled@1", "Started@2", "Succeeded@2");
    assertThat(((JobEvent.RetryScheduled) events.get(1)).failure().reason())
        .isEqualTo(FailureReason.CONNECTION);
    var succeeded = (JobEvent.Succeeded) events.getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(succeeded.bytes()).isEqualTo(300_000);
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());

    List<OriginServer.Request> requests = origin.history("/resume/cut.bin");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).header("Range")).isNull();
    assertThat(requests.get(0).bodyBytes()).isEqualTo(100_000);
    assertThat(requests.get(1).header("Range")).isEqualTo("bytes=100000-");
    assertThat(requests.get(1).header("If-Range")).isEqualTo("\"v1\"");
    assertThat(requests.get(1).bodyBytes()).isEqualTo(200_000);
    assertThat(partialFiles("resumed")).isEqualTo(resumedBefore + 1);
    assertNoPartialFile(jobId);
  }

  @Test
  void aRedirectedDownloadAsksTheFinalLocationForTheRest() {
    var content = Content.random(200_000, 81);
    origin.route("/resume/moved.bin", Routes.redirect(302, "/resume/mirror.bin"));
    origin.route("/resume/mirror.bin", Routes.rangeable(content, "v1").cutFirstAfter(70_000));

    UUID jobId = submit("/resume/moved.bin", content.sha256());

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    // Every attempt follows the redirect again; the range travels with it.
    assertThat(origin.history("/resume/moved.bin")).hasSize(2);
    var second = origin.history("/resume/mirror.bin").get(1);
    assertThat(second.header("Range")).isEqualTo("bytes=70000-");
    assertThat(second.bodyBytes()).isEqualTo(130_000);
  }

  @Test
  void anOriginThatIgnoresRangesIsDownloadedAgainFromTheStart() {
    var content = Content.random(300_000, 71);
    origin.route(
        "/resume/no-ranges.bin",
        Routes.times(
            1, Routes.rangeable(content, "v1").cutAfter(100_000), Routes.content(content)));
    double restartedBefore = partialFiles("restarted");

    UUID jobId = submit("/resume/no-ranges.bin", content.sha256());

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    List<OriginServer.Request> requests = origin.history("/resume/no-ranges.bin");
    assertThat(requests.get(1).header("Range")).isEqualTo("bytes=100000-");
    assertThat(requests.get(1).bodyBytes()).as("answered 200, the whole file").isEqualTo(300_000);
    assertThat(partialFiles("restarted")).isEqualTo(restartedBefore + 1);
    assertNoPartialFile(jobId);
  }

  @Test
  void aFileThatChangedSinceThePartWasStartedIsDownloadedAgainFromTheStart() {
    var before = Content.random(300_000, 72);
    var after = Content.random(250_000, 73);
    origin.route(
        "/resume/changed.bin",
        Routes.times(
            1, Routes.rangeable(before, "v1").cutAfter(100_000), Routes.rangeable(after, "v2")));

    UUID jobId = submit("/resume/changed.bin", null);

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(after.sha256());
    assertThat(succeeded.bytes()).isEqualTo(250_000);
    assertThat(storedFile(jobId)).hasBinaryContent(after.bytes());
    var second = origin.history("/resume/changed.bin").get(1);
    assertThat(second.header("Range")).isEqualTo("bytes=100000-");
    assertThat(second.header("If-Range")).isEqualTo("\"v1\"");
    assertThat(second.bodyBytes())
        .as("If-Range did not match: 200, the new file")
        .isEqualTo(250_000);
  }

  @Test
  void aPartLeftByAWorkerThatCrashedIsResumedByTheNextDelivery() throws IOException {
    var content = Content.random(400_000, 74);
    origin.route("/resume/crashed.bin", Routes.rangeable(content, "v7"));
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/crashed.bin").toString();
    leavePart(jobId, Arrays.copyOf(content.bytes(), 123_456), meta(url, "\"v7\"", null, 400_000L));

    submit(jobId, url, content.sha256(), 2, null);
    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();

    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(succeeded.bytes()).isEqualTo(400_000);
    var request = origin.history("/resume/crashed.bin").getFirst();
    assertThat(request.header("Range")).isEqualTo("bytes=123456-");
    assertThat(request.bodyBytes()).isEqualTo(400_000 - 123_456);
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    assertNoPartialFile(jobId);
  }

  @Test
  void aLastModifiedDateResumesAFileWithoutAnEntityTag() {
    var content = Content.random(200_000, 75);
    Instant modified = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    origin.route(
        "/resume/dated.bin",
        Routes.rangeable(content, null).lastModified(modified).cutFirstAfter(50_000));

    UUID jobId = submit("/resume/dated.bin", content.sha256());

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    var second = origin.history("/resume/dated.bin").get(1);
    assertThat(second.header("Range")).isEqualTo("bytes=50000-");
    assertThat(second.header("If-Range")).endsWith(" GMT");
    assertThat(second.bodyBytes()).isEqualTo(150_000);
  }

  @Test
  void aPartialAnswerThatDoesNotFitThePartIsNotTrustedAndTheFileIsDownloadedWhole()
      throws IOException {
    var content = Content.random(200_000, 76);
    // Answers every range request from byte 0 with 206: not the range that was asked for.
    origin.route(
        "/resume/wrong-range.bin",
        (exchange, n) -> {
          exchange.getResponseHeaders().set("ETag", "\"v1\"");
          if (exchange.getRequestHeaders().getFirst("Range") == null) {
            Routes.content(content).handle(exchange, n);
            return;
          }
          exchange.getResponseHeaders().set("Content-Range", "bytes 0-199999/200000");
          exchange.sendResponseHeaders(206, 200_000);
          try (OutputStream out = exchange.getResponseBody()) {
            content.writeTo(out, 0);
          }
        });
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/wrong-range.bin").toString();
    leavePart(jobId, Arrays.copyOf(content.bytes(), 80_000), meta(url, "\"v1\"", null, 200_000L));

    submit(jobId, url, content.sha256(), null, null);
    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();

    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    List<OriginServer.Request> requests = origin.history("/resume/wrong-range.bin");
    assertThat(requests).extracting(r -> r.header("Range")).containsExactly("bytes=80000-", null);
  }

  @Test
  void aResumedFileWithoutTheExpectedChecksumIsDownloadedWholeBeforeItCanFail() throws IOException {
    var content = Content.random(200_000, 77);
    origin.route("/resume/corrupt.bin", Routes.rangeable(content, "v1"));
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/corrupt.bin").toString();
    byte[] corrupt = Arrays.copyOf(content.bytes(), 90_000);
    corrupt[12_345] ^= 0x5a; // say, a disk that lost a write
    leavePart(jobId, corrupt, meta(url, "\"v1\"", null, 200_000L));

    submit(jobId, url, content.sha256(), null, null);
    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();

    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    assertThat(origin.history("/resume/corrupt.bin"))
        .extracting(r -> r.header("Range"))
        .containsExactly("bytes=90000-", null);
  }

  @Test
  void aRangeTheOriginCannotSatisfyIsAskedForAgainWhole() throws IOException {
    var content = Content.random(100_000, 82);
    origin.route("/resume/complete.bin", Routes.rangeable(content, "v1"));
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/complete.bin").toString();
    // Every byte, the total never announced (chunked), the worker gone before it committed.
    leavePart(jobId, content.bytes(), meta(url, "\"v1\"", null, null));

    submit(jobId, url, content.sha256(), null, null);

    assertThat(((JobEvent.Succeeded) eventsUntilFinished(jobId).getLast()).sha256())
        .isEqualTo(content.sha256());
    assertThat(origin.history("/resume/complete.bin"))
        .extracting(r -> r.header("Range"))
        .containsExactly("bytes=100000-", null);
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
  }

  @Test
  void aPartWithoutAUsableRecordIsDownloadedAgainFromTheStart() throws IOException {
    var content = Content.random(100_000, 78);
    origin.route("/resume/unrecorded.bin", Routes.rangeable(content, "v1"));
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/unrecorded.bin").toString();
    leavePart(jobId, Arrays.copyOf(content.bytes(), 40_000), "{\"version\":1,\"url\":");

    submit(jobId, url, content.sha256(), null, null);

    assertThat(((JobEvent.Succeeded) eventsUntilFinished(jobId).getLast()).sha256())
        .isEqualTo(content.sha256());
    assertThat(origin.history("/resume/unrecorded.bin").getFirst().header("Range")).isNull();
  }

  @Test
  void eachTransientFailureKeepsWhatItGotAndTheLastOneRemovesThePartialFile() {
    var content = Content.random(400_000, 79);
    origin.route("/resume/always-cut.bin", Routes.rangeable(content, "v1").cutAfter(100_000));

    UUID jobId = submit("/resume/always-cut.bin", content.sha256());
    List<JobEvent> events = eventsUntilFinished(jobId);

    var failed = (JobEvent.Failed) events.getLast();
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.failure().reason()).isEqualTo(FailureReason.CONNECTION);
    assertThat(origin.history("/resume/always-cut.bin"))
        .extracting(r -> r.header("Range"))
        .containsExactly(null, "bytes=100000-", "bytes=200000-");
    deadLetter(jobId);
    assertNoPartialFile(jobId);
  }

  @Test
  void aPermanentFailureRemovesThePartialFile() throws IOException {
    origin.route("/resume/gone.bin", Routes.status(410));
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/resume/gone.bin").toString();
    leavePart(jobId, new byte[5_000], meta(url, "\"v1\"", null, 10_000L));

    submit(jobId, url, null, null, null);

    assertThat(((JobEvent.Failed) eventsUntilFinished(jobId).getLast()).failure().reason())
        .isEqualTo(FailureReason.HTTP_CLIENT_ERROR);
    assertThat(origin.history("/resume/gone.bin").getFirst().header("Range"))
        .isEqualTo("bytes=5000-");
    assertNoPartialFile(jobId);
  }

  @Test
  void aJobCancelledWhileItsPartialFileWaitsForTheRetryLeavesNothing() {
    var content = Content.random(300_000, 80);
    origin.route("/resume/cancelled.bin", Routes.rangeable(content, "v1").cutFirstAfter(100_000));
    double cancelledBefore = jobsCount("cancelled");
    double retriedBefore = jobsCount("retried");
    var container = listeners.getListenerContainer(JOB_LISTENER);

    UUID jobId = submit("/resume/cancelled.bin", null);
    await().atMost(TIMEOUT).until(() -> jobsCount("retried") > retriedBefore);
    assertThat(partMetaFile(jobId)).exists();
    assertThat(partFile(jobId)).hasSize(100_000);
    cancel(jobId);

    await().atMost(TIMEOUT).until(() -> jobsCount("cancelled") == cancelledBefore + 1);
    assertThat(origin.requests("/resume/cancelled.bin")).isEqualTo(1);
    assertNoPartialFile(jobId);
    assertThat(storedFile(jobId)).doesNotExist();
    assertThat(container.isRunning()).isTrue();
  }

  private static String meta(String url, String etag, String lastModified, Long total) {
    return "{\"version\":1,\"url\":\""
        + url
        + "\",\"etag\":"
        + (etag == null ? "null" : "\"" + etag.replace("\"", "\\\"") + "\"")
        + ",\"lastModified\":"
        + (lastModified == null ? "null" : "\"" + lastModified + "\"")
        + ",\"totalBytes\":"
        + total
        + ",\"contentType\":\"application/octet-stream\"}";
  }

  /** Leaves what a worker that crashed mid-download leaves: the part and its record. */
  private static void leavePart(UUID jobId, byte[] bytes, String meta) throws IOException {
    Files.createDirectories(partFile(jobId).getParent());
    Files.write(partFile(jobId), bytes);
    Files.writeString(partMetaFile(jobId), meta);
  }

  private static void assertNoPartialFile(UUID jobId) {
    assertThat(partFile(jobId)).doesNotExist();
    assertThat(partMetaFile(jobId)).doesNotExist();
  }

  private double partialFiles(String outcome) {
    return meters.get("fetchq.worker.partial.files").tag("outcome", outcome).counter().count();
  }
}
