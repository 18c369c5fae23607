package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.ApiIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** {@code Idempotency-Key} on {@code POST /jobs} against the real database. */
class IdempotencyIntegrationTests extends ApiIntegrationTest {

  @LocalServerPort int port;
  @Autowired IdempotencyKeySweeper sweeper;
  @Autowired IdempotencyProperties properties;

  @Test
  void theSameKeyAndRequestAnswerTheSameJobAndWriteNothingMore() {
    String url = uniqueUrl();
    String key = UUID.randomUUID().toString();

    MvcTestResult first =
        post(key, "{\"url\":\"%s\",\"sha256\":\"%s\"}".formatted(url, "AB".repeat(32)));
    MvcTestResult again =
        post(key, "{ \"sha256\" : \"%s\", \"url\" : \"%s\" }".formatted("ab".repeat(32), url));

    assertThat(first).hasStatus(HttpStatus.ACCEPTED).doesNotContainHeader("Idempotent-Replayed");
    assertThat(again)
        .hasStatus(HttpStatus.ACCEPTED)
        .hasHeader("Location", first.getResponse().getHeader("Location"))
        .hasHeader("Idempotent-Replayed", "true");
    assertThat(body(again).get("id")).isEqualTo(body(first).get("id"));
    assertThat(jobsFor(url)).isOne();
  }

  @Test
  void theSameKeyForADifferentRequestIs422AndCreatesNothing() {
    String url = uniqueUrl();
    String key = UUID.randomUUID().toString();
    assertThat(post(key, "{\"url\":\"%s\"}".formatted(url))).hasStatus(HttpStatus.ACCEPTED);

    MvcTestResult other = post(key, "{\"url\":\"%s\",\"filename\":\"b.bin\"}".formatted(url));

    assertThat(other)
        .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("already used for a different request");
    assertThat(jobsFor(url)).isOne();
  }

  @Test
  void keysBelongToTheirApiKeyOwner() {
    String url = uniqueUrl();
    String key = UUID.randomUUID().toString();
    String body = "{\"url\":\"%s\"}".formatted(url);

    MvcTestResult mine = post(key, body);
    MvcTestResult theirs =
        as(OTHER_CLIENT_KEY, mvc.post().uri("/jobs"))
            .header("Idempotency-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();

    assertThat(theirs).hasStatus(HttpStatus.ACCEPTED).doesNotContainHeader("Idempotent-Replayed");
    assertThat(body(theirs).get("id")).isNotEqualTo(body(mine).get("id"));
    assertThat(body(theirs).get("owner").asString()).isEqualTo(OTHER_CLIENT);
    assertThat(jobsFor(url)).isEqualTo(2);
  }

  @Test
  void concurrentRequestsWithTheSameKeyCreateOneJob() throws Exception {
    String url = uniqueUrl();
    String key = UUID.randomUUID().toString();
    int requests = 8;
    var start = new CountDownLatch(1);
    var http = HttpClient.newHttpClient();
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try (var threads = Executors.newFixedThreadPool(requests)) {
      for (int i = 0; i < requests; i++) {
        answers.add(
            threads.submit(
                () -> {
                  start.await();
                  return http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                          .header("Authorization", bearer(CLIENT_KEY))
                          .header("Content-Type", "application/json")
                          .header("Idempotency-Key", key)
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
                }));
      }
      start.countDown();
    }

    List<String> locations = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      assertThat(response.statusCode()).isEqualTo(202);
      locations.add(response.headers().firstValue("Location").orElseThrow());
    }
    assertThat(locations).hasSize(requests).containsOnly(locations.getFirst());
    assertThat(jobsFor(url)).isOne();
  }

  @Test
  void anExpiredKeyCreatesANewJob() {
    String url = uniqueUrl();
    String key = UUID.randomUUID().toString();
    String body = "{\"url\":\"%s\"}".formatted(url);
    MvcTestResult first = post(key, body);
    age(key, properties.retention().plusMinutes(1));

    MvcTestResult later = post(key, body);

    assertThat(later).hasStatus(HttpStatus.ACCEPTED).doesNotContainHeader("Idempotent-Replayed");
    assertThat(body(later).get("id")).isNotEqualTo(body(first).get("id"));
    assertThat(post(key, body)).hasHeader("Idempotent-Replayed", "true");
    assertThat(jobsFor(url)).isEqualTo(2);
  }

  @Test
  void theSweepDeletesExpiredKeysOnly() {
    String expired = UUID.randomUUID().toString();
    String fresh = UUID.randomUUID().toString();
    post(expired, "{\"url\":\"%s\"}".formatted(uniqueUrl()));
    post(fresh, "{\"url\":\"%s\"}".formatted(uniqueUrl()));
    age(expired, properties.retention().plusSeconds(1));

    assertThat(sweeper.sweep()).isPositive();

    assertThat(keyRows(expired)).isZero();
    assertThat(keyRows(fresh)).isOne();
  }

  private MvcTestResult post(String key, String body) {
    return mvc.post()
        .uri("/jobs")
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static String uniqueUrl() {
    return "https://example.org/idempotent-" + UUID.randomUUID() + ".bin";
  }

  private int jobsFor(String url) {
    return jdbc.sql("select count(*) from job where url = ?")
        .param(url)
        .query(Integer.class)
        .single();
  }

  private int keyRows(String key) {
    return jdbc.sql("select count(*) from job_idempotency_key where key = ?")
        .param(key)
        .query(Integer.class)
        .single();
  }

  private void age(String key, Duration by) {
    jdbc.sql(
            "update job_idempotency_key set created_at = created_at - cast(? as interval)"
                + " where key = ?")
        .param(by.toSeconds() + " seconds")
        .param(key)
        .update();
  }
}
