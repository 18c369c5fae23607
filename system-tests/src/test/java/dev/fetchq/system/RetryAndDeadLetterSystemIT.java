package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Retries, dead letters, replay and discard across processes. The cluster's workers run with tiers
 * 1 s, 2 s, 3 s and 3 attempts.
 */
class RetryAndDeadLetterSystemIT {

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void aFlakyOriginSucceedsOnTheThirdAttemptAfterTheTierWaits() {
    var content = Content.random(50_000, 31);
    String path = "/flaky-" + System.nanoTime();
    fetchq.origin.route(path, Routes.failTimes(2, 503, Routes.content(content)));

    String id = submit(path);
    JsonNode job = awaitFinal(id);

    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("attempts").asInt()).isEqualTo(3);
    assertThat(job.get("sha256").asString()).isEqualTo(content.sha256());
    List<Instant> requests = fetchq.origin.requestTimes(path);
    assertThat(requests).hasSize(3);
    assertThat(Duration.between(requests.get(0), requests.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
        .isLessThan(Duration.ofSeconds(6));
    assertThat(Duration.between(requests.get(1), requests.get(2)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(7));
    var history = history(job);
    assertThat(history).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 2, 3);
    assertThat(history)
        .extracting(a -> a.get("outcome").asString())
        .containsExactly("RETRY_SCHEDULED", "RETRY_SCHEDULED", "SUCCEEDED");
    assertThat(history.get(0).get("httpStatus").asInt()).isEqualTo(503);
  }

  @Test
  void aPermanentFailureIsDeadLetteredAfterOneAttemptThenReplayedToSuccess() {
    var content = Content.random(20_000, 32);
    String path = "/gone-" + System.nanoTime();
    fetchq.origin.route(path, Routes.status(404));

    String id = submit(path);
    JsonNode dead = awaitFinal(id);

    assertThat(dead.get("status").asString()).isEqualTo("DEAD");
    assertThat(dead.get("attempts").asInt()).isEqualTo(1);
    assertThat(dead.get("lastError").get("reason").asString()).isEqualTo("HTTP_CLIENT_ERROR");
    assertThat(dead.get("lastError").get("httpStatus").asInt()).isEqualTo(404);
    assertThat(fetchq.origin.requests(path)).isEqualTo(1);
    JsonNode letter = awaitDeadLetter(id);
    assertThat(letter.get("reason").asString()).isEqualTo("HTTP_CLIENT_ERROR");
    assertThat(letter.get("httpStatus").asInt()).isEqualTo(404);

    // The origin is fixed; the operator replays the job.
    fetchq.origin.route(path, Routes.content(content));
    var replay = fetchq.admin.post("/dead-letters/replay", "{\"jobIds\":[\"" + id + "\"]}");
    assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
    assertThat(replay.body().get("results").get(0).get("outcome").asString()).isEqualTo("REPLAYED");

    JsonNode replayed = awaitFinal(id);
    assertThat(replayed.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(replayed.get("attempts").asInt()).isEqualTo(2);
    assertThat(replayed.get("sha256").asString()).isEqualTo(content.sha256());
    assertThat(deadLetterIds()).doesNotContain(id);
  }

  @Test
  void exhaustedRetriesAreDeadLetteredAfterExactlyMaxAttemptsAndCanBeDiscarded() {
    String path = "/broken-" + System.nanoTime();
    fetchq.origin.route(path, Routes.status(500));

    String id = submit(path);
    JsonNode dead = awaitFinal(id);

    assertThat(dead.get("status").asString()).isEqualTo("DEAD");
    assertThat(dead.get("attempts").asInt()).isEqualTo(3);
    assertThat(fetchq.origin.requests(path)).isEqualTo(3);
    JsonNode letter = awaitDeadLetter(id);
    assertThat(letter.get("attempts").asInt()).isEqualTo(3);
    assertThat(letter.get("reason").asString()).isEqualTo("HTTP_TRANSIENT");

    assertThat(fetchq.client.get("/dead-letters").status()).as("admin only").isEqualTo(403);
    var discard = fetchq.admin.delete("/dead-letters/" + id);
    assertThat(discard.status()).as(discard.toString()).isEqualTo(200);
    assertThat(deadLetterIds()).doesNotContain(id);
    JsonNode discarded = fetchq.client.job(id);
    assertThat(discarded.get("status").asString()).isEqualTo("DEAD");
    assertThat(discarded.get("discardedAt").isNull()).isFalse();
  }

  private static String submit(String path) {
    var response = fetchq.client.submit(fetchq.origin.url(path).toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.body().get("id").asString();
  }

  private static JsonNode awaitFinal(String id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> List.of("SUCCEEDED", "DEAD", "CANCELLED").contains(fetchq.client.status(id)));
    return fetchq.client.job(id);
  }

  private static JsonNode awaitDeadLetter(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> deadLetterIds().contains(id));
    return StreamSupport.stream(deadLetters().spliterator(), false)
        .filter(l -> id.equals(l.get("jobId").asString()))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode deadLetters() {
    var response = fetchq.admin.get("/dead-letters?limit=1000");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.body().get("items");
  }

  private static List<String> deadLetterIds() {
    return StreamSupport.stream(deadLetters().spliterator(), false)
        .map(l -> l.get("jobId").asString())
        .toList();
  }

  private static List<JsonNode> history(JsonNode job) {
    return StreamSupport.stream(job.get("attemptHistory").spliterator(), false).toList();
  }
}
