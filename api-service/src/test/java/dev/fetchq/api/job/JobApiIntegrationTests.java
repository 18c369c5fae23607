package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/** A job's way through the API, the outbox, the broker and back, with the test as the worker. */
class JobApiIntegrationTests extends ApiIntegrationTest {

  private static final Instant START = Instant.parse("2026-02-01T10:00:00Z");

  @Test
  void aSubmittedJobIsStoredAndPublishedToTheWorkersInTheContractFormat() {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                """
                {"url":"https://example.org/a.bin","sha256":"%s","filename":"a.bin"}"""
                    .formatted("AB".repeat(32)))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    JsonNode accepted = body(result);
    UUID id = UUID.fromString(accepted.get("id").asString());
    assertThat(result).hasHeader("Location", "/jobs/" + id);
    assertThat(accepted.get("status").asString()).isEqualTo("QUEUED");
    assertThat(accepted.get("attempts").asInt()).isZero();
    assertThat(accepted.get("expectedSha256").asString()).isEqualTo("ab".repeat(32));
    assertThat(job(id)).isEqualTo(accepted);

    Message message = takeJob(id);

    assertThat(message.getMessageProperties().getMessageId()).isEqualTo(id.toString());
    assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
    assertThat(message.getMessageProperties().getReceivedDeliveryMode())
        .isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(message.getMessageProperties().<Object>getHeader(Headers.ATTEMPT)).isEqualTo(1);
    assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
        .isEqualTo(
            """
            {"jobId":"%s","url":"https://example.org/a.bin","expectedSha256":"%s"}"""
                .formatted(id, "ab".repeat(32)));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(outboxRows(id)).isZero());
  }

  @Test
  void workerEventsTakeTheJobToSucceededAndItsFileCanBeDownloaded() throws Exception {
    UUID id = submit("https://example.org/hello.txt");
    takeJob(id);
    byte[] content = "hello, fetchq\n".getBytes(StandardCharsets.UTF_8);
    String storageKey = store(id, content);

    report(new JobEvent.Started(id, 1, "worker-7", START));
    JsonNode running = awaitStatus(id, "RUNNING");
    assertThat(running.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(mvc.get().uri("/jobs/{id}/content", id))
        .hasStatus(HttpStatus.CONFLICT)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);

    report(new JobEvent.Progress(id, 1, "worker-7", START.plusSeconds(1), 7, 14L));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(job(id).get("bytes").asLong()).isEqualTo(7));
    report(
        new JobEvent.Succeeded(
            id,
            1,
            "worker-7",
            START.plusSeconds(2),
            START,
            content.length,
            sha256(content),
            "text/plain",
            storageKey));

    JsonNode succeeded = awaitStatus(id, "SUCCEEDED");
    assertThat(succeeded.get("attempts").asInt()).isEqualTo(1);
    assertThat(succeeded.get("bytes").asLong()).isEqualTo(content.length);
    assertThat(succeeded.get("totalBytes").asLong()).isEqualTo(content.length);
    assertThat(succeeded.get("sha256").asString()).isEqualTo(sha256(content));
    assertThat(succeeded.get("contentType").asString()).isEqualTo("text/plain");
    assertThat(succeeded.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(succeeded.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:02Z");
    assertThat(succeeded.get("worker").asString()).isEqualTo("worker-7");
    assertThat(succeeded.get("contentUrl").asString()).isEqualTo("/jobs/" + id + "/content");

    MvcTestResult download = mvc.get().uri("/jobs/{id}/content", id).exchange();
    assertThat(download)
        .hasStatus(HttpStatus.OK)
        .hasContentType(MediaType.TEXT_PLAIN)
        .hasHeader("Content-Length", String.valueOf(content.length))
        .hasHeader("X-Content-Type-Options", "nosniff");
    assertThat(download.getResponse().getHeader("Content-Disposition"))
        .startsWith("attachment")
        .contains(id.toString());
    assertThat(download.getResponse().getContentAsByteArray()).isEqualTo(content);
    assertThat(mvc.get().uri("/jobs/{id}/content", id).header("Range", "bytes=0-4"))
        .hasStatus(HttpStatus.PARTIAL_CONTENT)
        .hasBodyTextEqualTo("hello");
  }

  @Test
  void aSucceededJobWhoseFileIsGoneAnswers410() {
    UUID id = submit("https://example.org/vanished.bin");

    report(
        new JobEvent.Succeeded(
            id, 1, "worker-7", START, START, 3, sha256(new byte[3]), null, "57/" + id));
    awaitStatus(id, "SUCCEEDED");

    assertThat(mvc.get().uri("/jobs/{id}/content", id))
        .hasStatus(HttpStatus.GONE)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void jobsAreListedNewestFirstAcrossPagesAndFilteredByStatus() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(submit("https://example.org/list-" + i));
    }
    report(new JobEvent.Started(ids.get(1), 1, "worker-7", START));
    report(new JobEvent.Started(ids.get(3), 1, "worker-7", START));
    awaitEventsProjected();

    List<JsonNode> running = allPages("/jobs?status=RUNNING&limit=1");
    List<JsonNode> everything = allPages("/jobs?limit=2");

    assertThat(running)
        .allSatisfy(job -> assertThat(job.get("status").asString()).isEqualTo("RUNNING"));
    assertThat(idsOf(running)).containsSubsequence(ids.get(3), ids.get(1));
    assertThat(idsOf(running)).doesNotContain(ids.get(0), ids.get(2), ids.get(4));
    assertThat(idsOf(everything)).containsSubsequence(ids.reversed());
    assertThat(idsOf(everything).stream().map(UUID::toString).toList())
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  /** Follows {@code nextCursor} from the first page to the last. */
  private List<JsonNode> allPages(String firstPage) {
    var jobs = new ArrayList<JsonNode>();
    String uri = firstPage;
    while (uri != null) {
      MvcTestResult result = mvc.get().uri(uri).exchange();
      assertThat(result).hasStatus(HttpStatus.OK);
      JsonNode page = body(result);
      page.get("items").forEach(jobs::add);
      JsonNode next = page.get("nextCursor");
      uri = next.isNull() ? null : firstPage + "&cursor=" + next.asString();
    }
    return jobs;
  }

  private static List<UUID> idsOf(List<JsonNode> jobs) {
    return jobs.stream().map(job -> UUID.fromString(job.get("id").asString())).toList();
  }

  private int outboxRows(UUID id) {
    return jdbc.sql("select count(*) from outbox_message where message_id = ?")
        .param(id.toString())
        .query(Integer.class)
        .single();
  }

  /** As a worker: stores the file where the storage key says. */
  private static String store(UUID id, byte[] content) throws IOException {
    String key = "57/" + id;
    Path file = STORAGE.resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return key;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
