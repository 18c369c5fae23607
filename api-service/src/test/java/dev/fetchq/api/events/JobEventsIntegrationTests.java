package dev.fetchq.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.api.ApiIntegrationTest;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Worker events through the real broker into job rows: idempotent, and poison never loops. */
class JobEventsIntegrationTests extends ApiIntegrationTest {

  @Autowired RabbitListenerEndpointRegistry listeners;

  private static final Instant START = Instant.parse("2026-02-01T10:00:00Z");
  private static final Failure UNAVAILABLE =
      Failure.http(FailureReason.HTTP_TRANSIENT, 503, "Service Unavailable");
  private static final Failure GONE = Failure.http(FailureReason.HTTP_CLIENT_ERROR, 410, "Gone");

  @Test
  void duplicatedAndReorderedEventsCannotCorruptAJob() {
    UUID id = submit("https://example.org/reordered.bin");
    var succeeded =
        new JobEvent.Succeeded(
            id, 1, "w-1", START.plusSeconds(5), START, 42, "ab".repeat(32), "image/png", "1/x");

    report(succeeded); // overtook its Started
    report(new JobEvent.Started(id, 1, "w-1", START));
    report(new JobEvent.Progress(id, 1, "w-1", START.plusSeconds(1), 10, 42L));
    report(succeeded);
    report(new JobEvent.Failed(id, 1, "w-1", START.plusSeconds(6), GONE));
    awaitEventsProjected();

    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("bytes").asLong()).isEqualTo(42);
    assertThat(job.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(job.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:05Z");
    assertThat(job.get("lastError").isNull()).isTrue();
  }

  @Test
  void aJobThatRetriesAndThenFailsForGoodShowsWhyAndStaysDead() {
    UUID id = submit("https://example.org/flaky.bin");

    report(new JobEvent.Started(id, 1, "w-1", START));
    report(
        new JobEvent.RetryScheduled(
            id, 1, "w-1", START.plusSeconds(1), UNAVAILABLE, 2, START.plusSeconds(31)));
    JsonNode waiting = awaitStatus(id, "RETRY_SCHEDULED");
    assertThat(waiting.get("nextAttemptAt").asString()).isEqualTo("2026-02-01T10:00:31Z");
    assertThat(waiting.get("lastError").get("reason").asString()).isEqualTo("HTTP_TRANSIENT");
    assertThat(waiting.get("lastError").get("httpStatus").asInt()).isEqualTo(503);

    report(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(31)));
    report(new JobEvent.Failed(id, 2, "w-2", START.plusSeconds(32), GONE));
    JsonNode dead = awaitStatus(id, "DEAD");
    report(new JobEvent.RetryScheduled(id, 1, "w-1", START, UNAVAILABLE, 2, START));
    report(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(31)));
    awaitEventsProjected();

    assertThat(job(id)).isEqualTo(dead);
    assertThat(dead.get("attempts").asInt()).isEqualTo(2);
    assertThat(dead.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:32Z");
    assertThat(dead.get("nextAttemptAt").isNull()).isTrue();
    assertThat(dead.get("lastError").get("reason").asString()).isEqualTo("HTTP_CLIENT_ERROR");
    assertThat(dead.get("lastError").get("httpStatus").asInt()).isEqualTo(410);
    assertThat(dead.get("lastError").get("message").asString()).isEqualTo("Gone");
    assertThat(dead.get("worker").asString()).isEqualTo("w-2");
  }

  @Test
  void theAttemptHistoryTellsEachAttemptInOrder() {
    UUID id = submit("https://example.org/history.bin");

    report(new JobEvent.Started(id, 1, "w-1", START));
    report(new JobEvent.Progress(id, 1, "w-1", START.plusSeconds(1), 100, 1000L));
    report(
        new JobEvent.RetryScheduled(
            id, 1, "w-1", START.plusSeconds(2), UNAVAILABLE, 2, START.plusSeconds(32)));
    JsonNode waiting = awaitStatus(id, "RETRY_SCHEDULED");
    assertThat(waiting.get("attempts").asInt()).isEqualTo(1);
    assertThat(waiting.get("nextAttemptAt").asString()).isEqualTo("2026-02-01T10:00:32Z");
    report(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(32)));
    report(
        new JobEvent.Succeeded(
            id,
            2,
            "w-2",
            START.plusSeconds(40),
            START.plusSeconds(32),
            1000,
            "ab".repeat(32),
            null,
            "k"));
    awaitStatus(id, "SUCCEEDED");

    JsonNode history = job(id).get("attemptHistory");
    assertThat(history.size()).isEqualTo(2);
    JsonNode first = history.get(0);
    assertThat(first.get("attempt").asInt()).isEqualTo(1);
    assertThat(first.get("worker").asString()).isEqualTo("w-1");
    assertThat(first.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(first.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:02Z");
    assertThat(first.get("outcome").asString()).isEqualTo("RETRY_SCHEDULED");
    assertThat(first.get("errorReason").asString()).isEqualTo("HTTP_TRANSIENT");
    assertThat(first.get("httpStatus").asInt()).isEqualTo(503);
    assertThat(first.get("errorMessage").asString()).isEqualTo("Service Unavailable");
    assertThat(first.get("bytes").asLong()).isEqualTo(100);
    JsonNode second = history.get(1);
    assertThat(second.get("attempt").asInt()).isEqualTo(2);
    assertThat(second.get("worker").asString()).isEqualTo("w-2");
    assertThat(second.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:32Z");
    assertThat(second.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:40Z");
    assertThat(second.get("outcome").asString()).isEqualTo("SUCCEEDED");
    assertThat(second.get("errorReason").isNull()).isTrue();
    assertThat(second.get("httpStatus").isNull()).isTrue();
    assertThat(second.get("bytes").asLong()).isEqualTo(1000);
    assertThat(mvc.get().uri("/jobs?limit=1"))
        .bodyJson()
        .doesNotHavePath("$.items[0].attemptHistory");
  }

  @Test
  void reorderedAndDuplicatedEventsBuildTheSameAttemptHistory() {
    UUID id = submit("https://example.org/history-shuffled.bin");
    var succeeded =
        new JobEvent.Succeeded(
            id,
            2,
            "w-2",
            START.plusSeconds(40),
            START.plusSeconds(32),
            1000,
            "ab".repeat(32),
            null,
            "k");
    var retry =
        new JobEvent.RetryScheduled(
            id, 1, "w-1", START.plusSeconds(2), UNAVAILABLE, 2, START.plusSeconds(32));

    report(succeeded); // overtook everything
    report(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(32)));
    report(retry); // late: the job is already final, but attempt 1 is not known yet
    report(new JobEvent.Started(id, 1, "w-1", START));
    report(succeeded);
    report(retry);
    report(new JobEvent.Progress(id, 2, "w-2", START.plusSeconds(35), 500, 1000L));
    awaitEventsProjected();

    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    JsonNode history = job.get("attemptHistory");
    assertThat(history.size())
        .as("late events of a finished job fill known attempts, never add one")
        .isEqualTo(1);
    JsonNode second = history.get(0);
    assertThat(second.get("attempt").asInt()).isEqualTo(2);
    assertThat(second.get("outcome").asString()).isEqualTo("SUCCEEDED");
    assertThat(second.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:32Z");
    assertThat(second.get("finishedAt").asString()).isEqualTo("2026-02-01T10:00:40Z");
    assertThat(second.get("bytes").asLong()).isEqualTo(1000);
  }

  @Test
  void aLateRetryEventOfAnEarlierAttemptStillCompletesItsHistory() {
    UUID id = submit("https://example.org/history-late-retry.bin");

    report(new JobEvent.Started(id, 1, "w-1", START));
    report(new JobEvent.Started(id, 2, "w-2", START.plusSeconds(32))); // overtook the retry
    report(
        new JobEvent.RetryScheduled(
            id, 1, "w-1", START.plusSeconds(2), UNAVAILABLE, 2, START.plusSeconds(32)));
    report(new JobEvent.Started(id, 1, "w-1", START)); // duplicate: RUNNING never undoes an end
    awaitEventsProjected();

    JsonNode job = job(id);
    assertThat(job.get("status").asString()).isEqualTo("RUNNING");
    assertThat(job.get("attemptHistory").findValuesAsString("outcome"))
        .containsExactly("RETRY_SCHEDULED", "RUNNING");
    assertThat(job.get("attemptHistory").get(0).get("finishedAt").asString())
        .isEqualTo("2026-02-01T10:00:02Z");
  }

  /**
   * With the consumer stopped, events of several jobs pile up in the queue — reordered, duplicated,
   * with unreadable messages between them — and then arrive together in batches: every job ends as
   * its events say, only the unreadable messages are dead-lettered.
   */
  @Test
  void eventsOfManyJobsArrivingTogetherApplyAsOneByOne() {
    UUID succeeds = submit("https://example.org/batch-succeeds.bin");
    UUID dies = submit("https://example.org/batch-dies.bin");
    UUID runs = submit("https://example.org/batch-runs.bin");
    String poison = "batch-poison-" + UUID.randomUUID();
    String incomplete = "batch-incomplete-" + UUID.randomUUID();
    var done =
        new JobEvent.Succeeded(
            succeeds, 1, "w-1", START.plusSeconds(5), START, 42, "ab".repeat(32), null, "1/x");

    MessageListenerContainer consumer = listeners.getListenerContainer(JobEventListener.ID);
    consumer.stop();
    try {
      report(done); // overtook its Started
      report(new JobEvent.Started(dies, 1, "w-1", START));
      rabbit.send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, json(poison, "{oops"));
      report(new JobEvent.Started(succeeds, 1, "w-1", START));
      report(
          new JobEvent.RetryScheduled(
              dies, 1, "w-1", START.plusSeconds(1), UNAVAILABLE, 2, START.plusSeconds(31)));
      report(new JobEvent.Started(runs, 1, "w-3", START));
      report(done);
      rabbit.send(
          Topology.EVENTS_EXCHANGE,
          Topology.EVENTS_ROUTING_KEY,
          json(incomplete, "{\"type\":\"started\",\"attempt\":1}"));
      report(new JobEvent.Started(dies, 2, "w-2", START.plusSeconds(31)));
      report(new JobEvent.Progress(runs, 1, "w-3", START.plusSeconds(2), 7, 70L));
      report(new JobEvent.Failed(dies, 2, "w-2", START.plusSeconds(32), GONE));
      report(new JobEvent.Started(dies, 2, "w-2", START.plusSeconds(31))); // late duplicate
    } finally {
      consumer.start();
    }
    awaitEventsProjected();

    JsonNode succeeded = job(succeeds);
    assertThat(succeeded.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(succeeded.get("startedAt").asString()).isEqualTo("2026-02-01T10:00:00Z");
    assertThat(succeeded.get("attemptHistory").findValuesAsString("outcome"))
        .containsExactly("SUCCEEDED");
    JsonNode dead = job(dies);
    assertThat(dead.get("status").asString()).isEqualTo("DEAD");
    assertThat(dead.get("attempts").asInt()).isEqualTo(2);
    assertThat(dead.get("lastError").get("httpStatus").asInt()).isEqualTo(410);
    assertThat(dead.get("attemptHistory").findValuesAsString("outcome"))
        .containsExactly("RETRY_SCHEDULED", "FAILED");
    JsonNode running = job(runs);
    assertThat(running.get("status").asString()).isEqualTo("RUNNING");
    assertThat(running.get("bytes").asLong()).isEqualTo(7);
    awaitDeadEvents(poison, incomplete);
  }

  @Test
  void anEventThatCannotBeReadGoesToTheDeadEventQueue() {
    String unreadable = "poison-" + UUID.randomUUID();
    String incomplete = "incomplete-" + UUID.randomUUID();

    rabbit.send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, json(unreadable, "{oops"));
    rabbit.send(
        Topology.EVENTS_EXCHANGE,
        Topology.EVENTS_ROUTING_KEY,
        json(incomplete, "{\"type\":\"started\",\"attempt\":1}"));

    awaitDeadEvents(unreadable, incomplete);
  }

  @Test
  void anEventForAnUnknownJobIsDroppedNotDeadLettered() {
    UUID unknown = UUID.randomUUID();

    report(new JobEvent.Started(unknown, 1, "w-1", START));
    awaitEventsProjected();

    assertThat(drainDeadEvents()).noneMatch(body -> body.contains(unknown.toString()));
  }

  /**
   * Seeded random garbage through the real broker and listener container, between the events of one
   * job: the job's events all apply, exactly the unreadable or incomplete messages reach the
   * dead-event queue (readable events of unknown jobs are dropped), and the consumer keeps going.
   */
  @Test
  void garbageAmongEventsNeverLoopsNorCostsAValidEvent() {
    UUID id = submit("https://example.org/garbage-between.bin");
    var random = new Random(20260301L);
    var expectedDead = new HashSet<String>();
    var valid =
        List.<JobEvent>of(
            new JobEvent.Started(id, 1, "w-1", START),
            new JobEvent.Progress(id, 1, "w-1", START.plusSeconds(1), 5, 10L),
            new JobEvent.Succeeded(
                id, 1, "w-1", START.plusSeconds(2), START, 10, "ab".repeat(32), null, "k"));

    for (JobEvent event : valid) {
      for (int i = 0; i < 12; i++) {
        byte[] body = garbage(random);
        String messageId = "garbage-" + UUID.randomUUID();
        if (!readableAndComplete(body)) {
          expectedDead.add(messageId);
        }
        rabbit.send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, raw(messageId, body));
      }
      report(event);
    }

    JsonNode job = awaitStatus(id, "SUCCEEDED");
    assertThat(job.get("bytes").asLong()).isEqualTo(10);
    awaitEventsProjected();
    var deadIds = new HashSet<String>();
    for (Message m = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 500);
        m != null;
        m = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 500)) {
      String messageId = m.getMessageProperties().getMessageId();
      if (messageId != null && messageId.startsWith("garbage-")) {
        deadIds.add(messageId);
      }
    }
    assertThat(expectedDead).isNotEmpty();
    assertThat(deadIds).isEqualTo(expectedDead);
  }

  /**
   * Random bytes, or an event of some other job cut short, with bytes changed or a field broken.
   */
  private byte[] garbage(Random random) {
    JobEvent other =
        new JobEvent.RetryScheduled(
            UUID.randomUUID(),
            1 + random.nextInt(5),
            "w-" + random.nextInt(9),
            START,
            UNAVAILABLE,
            2,
            START.plusSeconds(30));
    byte[] body = rabbit.getMessageConverter().toMessage(other, new MessageProperties()).getBody();
    return switch (random.nextInt(5)) {
      case 0 -> {
        byte[] noise = new byte[random.nextInt(200)];
        random.nextBytes(noise);
        yield noise;
      }
      case 1 -> java.util.Arrays.copyOf(body, random.nextInt(body.length));
      case 2 -> {
        for (int i = 0; i < 3; i++) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
        yield body;
      }
      case 3 ->
          new String(body, StandardCharsets.UTF_8)
              .replaceFirst(
                  List.of("\"jobId\":\"[^\"]*\"", "\"attempt\":\\d+", "\"at\":\"[^\"]*\"")
                      .get(random.nextInt(3)),
                  List.of("\"x\":1", "\"attempt\":0", "\"at\":null", "\"jobId\":\"nope\"")
                      .get(random.nextInt(4)))
              .getBytes(StandardCharsets.UTF_8);
      default ->
          List.of("null", "", "[]", "{}", "{\"type\":\"started\"}", "\"x\"")
              .get(random.nextInt(6))
              .getBytes(StandardCharsets.UTF_8);
    };
  }

  /** What the listener would apply (or drop, for an unknown job) rather than dead-letter. */
  private boolean readableAndComplete(byte[] body) {
    Message message = raw("probe", body);
    message.getMessageProperties().setInferredArgumentType(JobEvent.class);
    try {
      return rabbit.getMessageConverter().fromMessage(message) instanceof JobEvent event
          && event.jobId() != null
          && event.attempt() >= 1
          && event.at() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Message raw(String messageId, byte[] body) {
    return MessageBuilder.withBody(body)
        .setContentType("application/json")
        .setMessageId(messageId)
        .build();
  }

  private static Message json(String messageId, String body) {
    return MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
        .setContentType("application/json")
        .setMessageId(messageId)
        .build();
  }

  /**
   * Waits until the messages with these ids reached the dead-event queue. Rejected from one batch,
   * they may arrive in any order, so they are looked for together (each look takes a message).
   */
  private void awaitDeadEvents(String... messageIds) {
    var seen = new HashSet<String>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Message message = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 200);
              if (message != null) {
                seen.add(message.getMessageProperties().getMessageId());
              }
              return seen.containsAll(List.of(messageIds));
            });
  }

  private List<String> drainDeadEvents() {
    var bodies = new ArrayList<String>();
    for (Message m = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 500);
        m != null;
        m = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 500)) {
      bodies.add(new String(m.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }
}
