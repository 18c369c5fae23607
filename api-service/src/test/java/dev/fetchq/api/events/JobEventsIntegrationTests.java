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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import tools.jackson.databind.JsonNode;

/** Worker events through the real broker into job rows: idempotent, and poison never loops. */
class JobEventsIntegrationTests extends ApiIntegrationTest {

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
  void anEventThatCannotBeReadGoesToTheDeadEventQueue() {
    String unreadable = "poison-" + UUID.randomUUID();
    String incomplete = "incomplete-" + UUID.randomUUID();

    rabbit.send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, json(unreadable, "{oops"));
    rabbit.send(
        Topology.EVENTS_EXCHANGE,
        Topology.EVENTS_ROUTING_KEY,
        json(incomplete, "{\"type\":\"started\",\"attempt\":1}"));

    assertThat(deadEvent(unreadable)).isNotNull();
    assertThat(deadEvent(incomplete)).isNotNull();
  }

  @Test
  void anEventForAnUnknownJobIsDroppedNotDeadLettered() {
    UUID unknown = UUID.randomUUID();

    report(new JobEvent.Started(unknown, 1, "w-1", START));
    awaitEventsProjected();

    assertThat(drainDeadEvents()).noneMatch(body -> body.contains(unknown.toString()));
  }

  private static Message json(String messageId, String body) {
    return MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
        .setContentType("application/json")
        .setMessageId(messageId)
        .build();
  }

  private Message deadEvent(String messageId) {
    var found = new AtomicReference<Message>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Message message = rabbit.receive(Topology.DEAD_EVENTS_QUEUE, 200);
              if (message != null
                  && messageId.equals(message.getMessageProperties().getMessageId())) {
                found.set(message);
              }
              return found.get() != null;
            });
    return found.get();
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
