package dev.fetchq.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dead-letter admin API against the real queue. The test plays the worker: it reports events
 * and puts dead letters into the queue exactly as a worker (or the broker) does.
 */
class DeadLetterIntegrationTests extends ApiIntegrationTest {

  private static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");
  private static final Failure GONE = Failure.http(FailureReason.HTTP_CLIENT_ERROR, 410, "Gone");

  @Autowired ConfirmedPublisher publisher;
  @Autowired RabbitAdmin admin;

  @BeforeEach
  void emptyDeadLetterQueue() {
    admin.purgeQueue(Topology.DEAD_LETTER_QUEUE);
  }

  @Test
  void lookingAHundredTimesNeitherLosesNorDuplicatesNorReordersAnything() {
    UUID a = deadJob("https://a.example/1");
    UUID b = deadJob("https://b.example/2");
    deadLetter(a, "https://a.example/1", GONE, 1, T0);
    poison("poison-" + UUID.randomUUID(), "{not a job");
    deadLetter(b, "https://b.example/2", GONE, 1, T0.plusSeconds(1));
    deadLetter(a, "https://a.example/1", GONE, 1, T0); // a duplicate, as at-least-once allows
    JsonNode first = list("");
    List<String> order = jobIds(first);

    for (int i = 0; i < 100; i++) {
      JsonNode again = list("");
      assertThat(jobIds(again)).as("look %d", i).isEqualTo(order);
      assertThat(withoutDeliveryCounts(again)).isEqualTo(withoutDeliveryCounts(first));
    }

    assertThat(order).hasSize(4);
    assertThat(order.get(0)).isEqualTo(a.toString());
    assertThat(order.get(1)).startsWith("poison-");
    assertThat(order.subList(2, 4)).containsExactly(b.toString(), a.toString());
    assertThat(depth()).isEqualTo(4);
    assertThat(first.get("queueDepth").asInt()).isEqualTo(4);
    assertThat(first.get("complete").asBoolean()).isTrue();
  }

  @Test
  void partialAndFilteredLooksPutEverythingBackInPlace() {
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      UUID id = UUID.randomUUID();
      deadLetter(id, "https://h" + (i % 2) + ".example/" + i, GONE, 1, T0.plusSeconds(i));
      published.add(id.toString());
    }

    for (String query :
        List.of(
            "?limit=1",
            "?limit=4",
            "?host=h1.example",
            "?host=h0.example&limit=1",
            "?since=2026-02-01T10:00:04Z",
            "?reason=POISON")) {
      for (int i = 0; i < 5; i++) {
        list(query);
        assertThat(jobIds(list(""))).as("after %s", query).isEqualTo(published);
      }
    }
    assertThat(jobIds(list("?host=h1.example&limit=2")))
        .containsExactly(published.get(1), published.get(3));
    assertThat(depth()).isEqualTo(6);
  }

  @Test
  void aListedDeadLetterSaysWhy() {
    UUID id = deadJob("https://files.example.org/report.pdf");
    deadLetter(id, "https://files.example.org/report.pdf", GONE, 2, T0);

    JsonNode item = list("").get("items").get(0);

    assertThat(item.get("jobId").asString()).isEqualTo(id.toString());
    assertThat(item.get("url").asString()).isEqualTo("https://files.example.org/report.pdf");
    assertThat(item.get("host").asString()).isEqualTo("files.example.org");
    assertThat(item.get("reason").asString()).isEqualTo("HTTP_CLIENT_ERROR");
    assertThat(item.get("httpStatus").asInt()).isEqualTo(410);
    assertThat(item.get("message").asString()).isEqualTo("Gone");
    assertThat(item.get("attempts").asInt()).isEqualTo(2);
    assertThat(item.get("worker").asString()).isEqualTo("worker-9");
    assertThat(item.get("failedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(item.get("jobStatus").asString()).isEqualTo("DEAD");
    assertThat(item.get("deathReason").isNull()).isTrue();
  }

  @Test
  void aPoisonMessageIsVisibleWithWhatTheBrokerSaidAndAnExcerpt() {
    String messageId = "poison-" + UUID.randomUUID();
    poison(messageId, "{\"url\": 42, garbage");

    JsonNode item = list("?reason=POISON").get("items").get(0);

    assertThat(item.get("jobId").asString()).isEqualTo(messageId);
    assertThat(item.get("reason").asString()).isEqualTo("POISON");
    assertThat(item.get("deathReason").asString()).isEqualTo("rejected");
    assertThat(item.get("deathQueue").asString()).isEqualTo(Topology.JOBS_QUEUE);
    assertThat(item.get("bodyExcerpt").asString()).isEqualTo("{\"url\": 42, garbage");
    assertThat(item.get("failedAt").isNull()).isFalse();
    assertThat(item.get("url").isNull()).isTrue();
  }

  @Test
  void filtersSelectByReasonHostAndTimeAndLimitTheCount() {
    UUID a = deadJob("https://a.example/1");
    UUID b = deadJob("https://b.example/1");
    UUID c = deadJob("https://A.example/2");
    deadLetter(a, "https://a.example/1", GONE, 1, T0);
    deadLetter(b, "https://b.example/1", Failure.of(FailureReason.TIMEOUT, "slow"), 3, T0);
    deadLetter(c, "https://A.example/2", GONE, 1, T0.plusSeconds(3600));
    String poisonId = "poison-" + UUID.randomUUID();
    poison(poisonId, "nope"); // dead-lettered now: after everything above

    assertThat(jobIds(list("?reason=TIMEOUT"))).containsExactly(b.toString());
    assertThat(jobIds(list("?reason=HTTP_CLIENT_ERROR")))
        .containsExactly(a.toString(), c.toString());
    assertThat(jobIds(list("?host=A.EXAMPLE"))).containsExactly(a.toString(), c.toString());
    assertThat(jobIds(list("?since=2026-02-01T10:30:00Z"))).containsExactly(c.toString(), poisonId);
    assertThat(jobIds(list("?reason=HTTP_CLIENT_ERROR&host=a.example&since=2026-02-01T10:00:00Z")))
        .containsExactly(a.toString(), c.toString());
    JsonNode limited = list("?limit=2");
    assertThat(jobIds(limited)).containsExactly(a.toString(), b.toString());
    assertThat(limited.get("complete").asBoolean()).isFalse();
    assertThat(limited.get("queueDepth").asInt()).isEqualTo(4);
    assertThat(depth()).isEqualTo(4);
  }

  @Test
  void badListParametersAre400Problems() {
    assertThat(asAdmin(mvc.get().uri("/dead-letters?reason=NOPE")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(asAdmin(mvc.get().uri("/dead-letters?since=yesterday")))
        .hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(asAdmin(mvc.get().uri("/dead-letters?limit=1001")))
        .hasStatus(HttpStatus.BAD_REQUEST);
  }

  @Test
  void replayingAJobQueuesItOnceWithAFreshBudgetAndRemovesAllItsDeadLetters() {
    UUID id = deadJob("https://example.org/replay.bin");
    deadLetter(id, "https://example.org/replay.bin", GONE, 1, T0);
    deadLetter(id, "https://example.org/replay.bin", GONE, 1, T0); // duplicate
    UUID other = deadJob("https://example.org/other.bin");
    deadLetter(other, "https://example.org/other.bin", GONE, 1, T0);

    JsonNode response = replay("{\"jobIds\":[\"%s\"]}".formatted(id));

    JsonNode result = single(response);
    assertThat(result.get("jobId").asString()).isEqualTo(id.toString());
    assertThat(result.get("outcome").asString()).isEqualTo("REPLAYED");
    assertThat(result.get("deadLetters").asInt()).isEqualTo(2);
    assertThat(result.get("nextAttempt").asInt()).isEqualTo(2);
    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("budgetStart").asInt()).isEqualTo(2);
    assertThat(job.get("finishedAt").isNull()).isTrue();
    assertThat(job.get("lastError").get("reason").asString()).isEqualTo("HTTP_CLIENT_ERROR");

    Message message = takeJob(id);
    assertThat(message.getMessageProperties().getMessageId()).isEqualTo(id.toString());
    assertThat(message.getMessageProperties().<Object>getHeader(Headers.ATTEMPT)).isEqualTo(2);
    assertThat(message.getMessageProperties().<Object>getHeader(Headers.BUDGET_START)).isEqualTo(2);
    assertThat(message.getMessageProperties().getHeaders())
        .doesNotContainKeys("x-death", Headers.FAILURE_REASON, Headers.FAILED_AT);
    assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"jobId\":\"%s\",\"url\":\"https://example.org/replay.bin\",\"expectedSha256\":null}"
                .formatted(id));
    assertThat(jobMessagesFor(id, Duration.ofMillis(500))).isZero();
    assertThat(jobIds(list(""))).containsExactly(other.toString());
    assertThat(depth()).isEqualTo(1);

    // Replaying again finds nothing: the dead letters left exactly once.
    assertThat(single(replay("{\"jobIds\":[\"%s\"]}".formatted(id))).get("outcome").asString())
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void aReplayedJobRunsItsNextAttemptAndLateEventsOfTheOldAttemptChangeNothing() {
    UUID id = deadJob("https://example.org/second-life.bin");
    deadLetter(id, "https://example.org/second-life.bin", GONE, 1, T0);
    replay("{\"jobIds\":[\"%s\"]}".formatted(id));

    report(new JobEvent.Failed(id, 1, "worker-9", T0, GONE)); // a late duplicate
    report(new JobEvent.Started(id, 2, "worker-3", T0.plusSeconds(60)));
    awaitStatus(id, "RUNNING");
    report(
        new JobEvent.Succeeded(
            id,
            2,
            "worker-3",
            T0.plusSeconds(61),
            T0.plusSeconds(60),
            7,
            "ab".repeat(32),
            null,
            "x"));
    JsonNode job = awaitStatus(id, "SUCCEEDED");

    assertThat(job.get("attempts").asInt()).isEqualTo(2);
    assertThat(job.get("attemptHistory").findValuesAsString("outcome"))
        .containsExactly("FAILED", "SUCCEEDED");
  }

  @Test
  void replayingByFilterTakesOnlyTheMatchingJobsUpToTheLimit() {
    UUID a1 = deadJob("https://a.example/1");
    UUID b1 = deadJob("https://b.example/1");
    UUID a2 = deadJob("https://a.example/2");
    UUID a3 = deadJob("https://a.example/3");
    deadLetter(a1, "https://a.example/1", GONE, 1, T0);
    deadLetter(b1, "https://b.example/1", GONE, 1, T0);
    deadLetter(a2, "https://a.example/2", GONE, 1, T0);
    deadLetter(a3, "https://a.example/3", GONE, 1, T0);

    JsonNode response = replay("{\"filter\":{\"host\":\"a.example\"},\"limit\":2}");

    assertThat(response.get("results").findValuesAsString("jobId"))
        .containsExactly(a1.toString(), a2.toString());
    assertThat(response.get("results").findValuesAsString("outcome")).containsOnly("REPLAYED");
    assertThat(jobIds(list(""))).containsExactly(b1.toString(), a3.toString());
    assertThat(job(a1).get("status").asString()).isEqualTo("QUEUED");
    assertThat(job(a3).get("status").asString()).isEqualTo("DEAD");
  }

  @Test
  void anOutOfDateDeadLetterIsRemovedAndOneOfALiveAttemptStays() {
    UUID succeeded = submit("https://example.org/fine.bin");
    report(new JobEvent.Started(succeeded, 1, "w", T0));
    report(new JobEvent.Succeeded(succeeded, 1, "w", T0, T0, 1, "ab".repeat(32), null, "k"));
    awaitStatus(succeeded, "SUCCEEDED");
    UUID running = submit("https://example.org/running.bin");
    report(new JobEvent.Started(running, 1, "w", T0));
    awaitStatus(running, "RUNNING");
    deadLetter(succeeded, "https://example.org/fine.bin", GONE, 1, T0);
    deadLetter(running, "https://example.org/running.bin", GONE, 1, T0);

    JsonNode response = replay("{\"jobIds\":[\"%s\",\"%s\"]}".formatted(succeeded, running));

    assertThat(outcome(response, succeeded)).isEqualTo("STALE_REMOVED");
    assertThat(outcome(response, running)).isEqualTo("NOT_DEAD");
    assertThat(jobIds(list(""))).containsExactly(running.toString());
    assertThat(job(succeeded).get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(job(running).get("status").asString()).isEqualTo("RUNNING");
  }

  @Test
  void poisonIsSkippedByReplayAndUnknownIdsAreReported() {
    String poisonId = UUID.randomUUID().toString();
    poison(poisonId, "<xml/>");
    UUID unknown = UUID.randomUUID();

    JsonNode byId = replay("{\"jobIds\":[\"%s\",\"%s\"]}".formatted(poisonId, unknown));
    JsonNode byFilter = replay("{\"filter\":{\"reason\":\"POISON\"}}");

    assertThat(outcome(byId, poisonId)).isEqualTo("SKIPPED_POISON");
    assertThat(outcome(byId, unknown)).isEqualTo("NOT_FOUND");
    assertThat(outcome(byFilter, poisonId)).isEqualTo("SKIPPED_POISON");
    assertThat(jobIds(list(""))).containsExactly(poisonId);
  }

  @Test
  void aReplayNeedsEitherIdsOrAFilter() {
    for (String body :
        List.of(
            "{}",
            "{\"jobIds\":[]}",
            "{\"jobIds\":[\"%s\"],\"filter\":{}}".formatted(UUID.randomUUID()))) {
      assertThat(
              asAdmin(
                  mvc.post()
                      .uri("/dead-letters/replay")
                      .contentType(MediaType.APPLICATION_JSON)
                      .content(body)))
          .as(body)
          .hasStatus(HttpStatus.BAD_REQUEST)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
    assertThat(
            asAdmin(
                mvc.post()
                    .uri("/dead-letters/replay")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"filter\":{},\"limit\":0}")))
        .hasStatus(HttpStatus.BAD_REQUEST);
  }

  @Test
  void discardingRemovesTheDeadLettersAndTheJobStaysDead() {
    UUID id = deadJob("https://example.org/discard.bin");
    deadLetter(id, "https://example.org/discard.bin", GONE, 1, T0);
    deadLetter(id, "https://example.org/discard.bin", GONE, 1, T0);
    UUID other = deadJob("https://example.org/keep.bin");
    deadLetter(other, "https://example.org/keep.bin", GONE, 1, T0);

    MvcTestResult result = asAdmin(mvc.delete().uri("/dead-letters/{id}", id)).exchange();

    assertThat(result).hasStatus(HttpStatus.OK);
    JsonNode discarded = body(result);
    assertThat(discarded.get("discarded").asInt()).isEqualTo(2);
    assertThat(discarded.get("jobStatus").asString()).isEqualTo("DEAD");
    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("DEAD");
    assertThat(job.get("discardedAt").asString())
        .isEqualTo(discarded.get("discardedAt").asString());
    assertThat(jobIds(list(""))).containsExactly(other.toString());
    assertThat(asAdmin(mvc.delete().uri("/dead-letters/{id}", id)))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aPoisonMessageCanBeDiscardedByItsMessageId() {
    String messageId = "poison-" + UUID.randomUUID();
    poison(messageId, "garbage");

    assertThat(asAdmin(mvc.delete().uri("/dead-letters/{id}", messageId)))
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .extractingPath("$.jobStatus")
        .isNull();
    assertThat(depth()).isZero();
  }

  @Test
  void everyAdminEndpointWantsAnAdminKey() {
    List<Supplier<MockMvcRequestBuilder>> requests =
        List.of(
            () -> mvc.get().uri("/dead-letters"),
            () ->
                mvc.post()
                    .uri("/dead-letters/replay")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"filter\":{}}"),
            () -> mvc.delete().uri("/dead-letters/{id}", UUID.randomUUID()));
    for (Supplier<MockMvcRequestBuilder> request : requests) {
      assertThat(mvc.perform(request.get())) // the default client key
          .hasStatus(HttpStatus.FORBIDDEN)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyJson()
          .extractingPath("$.detail")
          .asString()
          .contains("needs an admin key");
      assertThat(mvc.perform(as("wrong-token-1234567", request.get())))
          .hasStatus(HttpStatus.UNAUTHORIZED)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .hasHeader("WWW-Authenticate", "Bearer realm=\"fetchq\", error=\"invalid_token\"");
    }
  }

  // --- the test as worker and as operator ---

  /** A job that went through one attempt and failed for good. */
  private UUID deadJob(String url) {
    UUID id = submit(url);
    takeJob(id);
    report(new JobEvent.Started(id, 1, "worker-9", T0));
    report(new JobEvent.Failed(id, 1, "worker-9", T0, GONE));
    awaitStatus(id, "DEAD");
    return id;
  }

  /** Puts a dead letter into the queue as the worker's DeadLetterPublisher does. */
  private void deadLetter(UUID id, String url, Failure failure, int attempt, Instant failedAt) {
    var builder =
        MessageBuilder.withBody(
                "{\"jobId\":\"%s\",\"url\":\"%s\",\"expectedSha256\":null}"
                    .formatted(id, url)
                    .getBytes(StandardCharsets.UTF_8))
            .setMessageId(id.toString())
            .setContentType("application/json")
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .setHeader(Headers.ATTEMPT, attempt)
            .setHeader(Headers.FAILURE_REASON, failure.reason().name())
            .setHeader(Headers.FAILURE_MESSAGE, failure.message())
            .setHeader(Headers.FAILURE_WORKER, "worker-9")
            .setHeader(Headers.FAILED_AT, failedAt.toString());
    if (failure.httpStatus() != null) {
      builder.setHeader(Headers.FAILURE_HTTP_STATUS, failure.httpStatus());
    }
    publisher.publish(
        Topology.DEAD_LETTER_EXCHANGE, Topology.DEAD_JOBS_ROUTING_KEY, builder.build());
  }

  /**
   * An unreadable job message, dead-lettered by the broker the way a worker's rejection does it:
   * published to the work queue, then rejected without requeue.
   */
  private void poison(String messageId, String body) {
    int before = depth();
    publisher.publish(
        Topology.JOBS_EXCHANGE,
        Topology.JOBS_ROUTING_KEY,
        MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
            .setMessageId(messageId)
            .setContentType("application/json")
            .build());
    rabbit.execute(
        channel -> {
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    GetResponse got = channel.basicGet(Topology.JOBS_QUEUE, false);
                    if (got == null) {
                      return false;
                    }
                    long tag = got.getEnvelope().getDeliveryTag();
                    if (messageId.equals(got.getProps().getMessageId())) {
                      channel.basicReject(tag, false);
                      return true;
                    }
                    channel.basicAck(tag, false); // another test's job message: a worker took it
                    return false;
                  });
          return null;
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> depth() == before + 1);
  }

  private JsonNode list(String query) {
    MvcTestResult result = asAdmin(mvc.get().uri("/dead-letters" + query)).exchange();
    assertThat(result).hasStatus(HttpStatus.OK);
    return body(result);
  }

  private JsonNode replay(String body) {
    MvcTestResult result =
        asAdmin(
                mvc.post()
                    .uri("/dead-letters/replay")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(body))
            .exchange();
    assertThat(result).hasStatus(HttpStatus.OK);
    return body(result);
  }

  private int depth() {
    return (int) admin.getQueueInfo(Topology.DEAD_LETTER_QUEUE).getMessageCount();
  }

  /** How many job messages of {@code id} arrive in the jobs queue within {@code wait}. */
  private int jobMessagesFor(UUID id, Duration wait) {
    int count = 0;
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.JOBS_QUEUE, 100);
      if (message != null && id.toString().equals(message.getMessageProperties().getMessageId())) {
        count++;
      }
    }
    return count;
  }

  private static List<String> jobIds(JsonNode page) {
    var ids = new ArrayList<String>();
    page.get("items").forEach(item -> ids.add(item.get("jobId").asString()));
    return ids;
  }

  private static JsonNode withoutDeliveryCounts(JsonNode page) {
    JsonNode copy = page.deepCopy();
    copy.get("items").forEach(item -> ((ObjectNode) item).remove("deliveryCount"));
    return copy;
  }

  private static JsonNode single(JsonNode response) {
    assertThat(response.get("results").size()).isEqualTo(1);
    return response.get("results").get(0);
  }

  private static String outcome(JsonNode response, Object jobId) {
    for (JsonNode result : response.get("results")) {
      if (jobId.toString().equals(result.get("jobId").asString())) {
        return result.get("outcome").asString();
      }
    }
    throw new AssertionError("no result for " + jobId + " in " + response);
  }
}
