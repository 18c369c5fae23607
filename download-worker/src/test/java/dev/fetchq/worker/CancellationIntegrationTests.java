package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import dev.fetchq.worker.cancel.CancellationRegistry;
import dev.fetchq.worker.cancel.ControlStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A cancelled job is never downloaded, whether the cancellation arrives while it is queued, while
 * it waits for a retry, or while it downloads (then it stops within 2 s, leaving nothing behind);
 * and a worker started after the cancellation knows it too.
 */
class CancellationIntegrationTests extends WorkerIntegrationTestSupport {

  @Autowired CancellationRegistry cancellations;
  @Autowired ControlStream controlStream;
  @Autowired CachingConnectionFactory connectionFactory;

  @Test
  void aJobCancelledWhileQueuedIsNeverDownloaded() {
    origin.route("/queued.bin", Routes.content(Content.random(1_000, 50)));
    double cancelledBefore = jobsCount("cancelled");
    var container = listeners.getListenerContainer(JOB_LISTENER);

    UUID jobId;
    container.stop();
    try {
      jobId = submit("/queued.bin", null);
      cancel(jobId);
      await().atMost(TIMEOUT).until(() -> cancellations.isCancelled(jobId));
    } finally {
      container.start();
    }

    await().atMost(TIMEOUT).until(() -> jobsCount("cancelled") == cancelledBefore + 1);
    assertThat(origin.requests("/queued.bin")).isZero();
    assertNoEventsOf(jobId);
    assertAcknowledged();
    assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
  }

  @Test
  void aJobCancelledWhileWaitingForARetryIsNotTriedAgain() {
    origin.route("/unavailable", Routes.status(503));
    double cancelledBefore = jobsCount("cancelled");

    UUID jobId = submit("/unavailable", null);
    awaitEvent(jobId, JobEvent.RetryScheduled.class);
    cancel(jobId);

    // The retry comes back from its 1 s tier and is acknowledged without a request.
    await().atMost(TIMEOUT).until(() -> jobsCount("cancelled") == cancelledBefore + 1);
    assertThat(origin.requests("/unavailable")).isEqualTo(1);
    assertNoEventsOf(jobId);
    RETRY_QUEUES.forEach(queue -> assertThat(queueDepth(queue)).as(queue).isZero());
    assertAcknowledged();
    assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
  }

  @Test
  void aRunningDownloadStopsWithinTwoSecondsOfItsCancellationAndLeavesNothing() {
    // 1 MB at 20 kB/s would take almost a minute.
    origin.route("/slow.bin", Routes.slow(Content.random(1_000_000, 51), 20_000));
    double cancelledBefore = jobsCount("cancelled");

    UUID jobId = submit("/slow.bin", null);
    awaitEvent(jobId, JobEvent.Started.class);
    await().atMost(TIMEOUT).until(() -> partFileSize(jobId) > 0);
    Instant cancelledAt = origin.now();
    cancel(jobId);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> origin.history("/slow.bin").getFirst().endedAt() != null);
    OriginServer.Request request = origin.history("/slow.bin").getFirst();
    assertThat(request.brokenOff()).as("the worker closed the connection").isTrue();
    assertThat(Duration.between(cancelledAt, request.endedAt())).isLessThan(Duration.ofSeconds(2));
    await().atMost(TIMEOUT).until(() -> jobsCount("cancelled") == cancelledBefore + 1);
    assertThat(partFile(jobId)).doesNotExist();
    assertThat(storedFile(jobId)).doesNotExist();
    assertNoEventsOf(jobId, JobEvent.Succeeded.class, JobEvent.Failed.class);
    assertAcknowledged();
    assertThat(origin.requests("/slow.bin")).isEqualTo(1);
  }

  @Test
  void aWorkerStartedAfterTheCancellationNeverDownloadsTheJob() {
    origin.route("/late.bin", Routes.content(Content.random(1_000, 52)));
    UUID jobId = UUID.randomUUID();
    cancel(jobId);
    await().atMost(TIMEOUT).until(() -> cancellations.isCancelled(jobId));

    var container = listeners.getListenerContainer(JOB_LISTENER);
    try (ConfigurableApplicationContext late = startAnotherWorker("late-worker", Map.of())) {
      // Only the worker started after the cancellation consumes jobs now.
      container.stop();
      submit(jobId, origin.url("/late.bin").toString(), null, null, null);

      MeterRegistry lateMeters = late.getBean(MeterRegistry.class);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  lateMeters.get("fetchq.worker.jobs").tag("outcome", "cancelled").counter().count()
                      == 1);
      assertThat(origin.requests("/late.bin")).isZero();
      assertNoEventsOf(jobId);
    } finally {
      container.start();
    }
    await().atMost(TIMEOUT).until(() -> queueDepth(Topology.JOBS_QUEUE) == 0);
    assertAcknowledged();
  }

  @Test
  void anUnreadableControlMessageIsSkippedAndDoesNotHoldUpLaterCancellations() {
    var garbage =
        MessageBuilder.withBody("{\"type\":\"launch-missiles\"}".getBytes(StandardCharsets.UTF_8))
            .setContentType("application/json")
            .build();
    publisher.publish(Topology.CONTROL_EXCHANGE, Topology.CONTROL_ROUTING_KEY, garbage);
    UUID jobId = UUID.randomUUID();
    cancel(jobId);

    await().atMost(TIMEOUT).until(() -> cancellations.isCancelled(jobId));
  }

  @Test
  void afterTheConnectionDropsTheControlStreamIsFollowedAgainAndJobsFlow() {
    var content = Content.random(2_000, 53);
    origin.route("/after-reconnect.bin", Routes.content(content));
    origin.route("/cancelled-after-reconnect.bin", Routes.content(content));

    // Drops the consumers' connection: both containers restart their consumers, the control
    // stream's reading it from the start again up to a new marker.
    connectionFactory.resetConnection();
    UUID cancelledId = UUID.randomUUID();
    cancel(cancelledId);

    await().atMost(TIMEOUT).until(() -> cancellations.isCancelled(cancelledId));
    await().atMost(TIMEOUT).until(controlStream::isCaughtUp);
    // Jobs are taken again without waiting for the catch-up timeout, and cancellations hold.
    UUID jobId = submit("/after-reconnect.bin", content.sha256());
    assertThat(eventsUntilFinished(jobId).getLast()).isInstanceOf(JobEvent.Succeeded.class);
    double cancelledBefore = jobsCount("cancelled");
    submit(cancelledId, origin.url("/cancelled-after-reconnect.bin").toString(), null, null, null);
    await().atMost(TIMEOUT).until(() -> jobsCount("cancelled") == cancelledBefore + 1);
    assertThat(origin.requests("/cancelled-after-reconnect.bin")).isZero();
  }

  private long partFileSize(UUID jobId) {
    try {
      return java.nio.file.Files.size(partFile(jobId));
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Reads events until one of {@code type} for the job arrives. */
  private void awaitEvent(UUID jobId, Class<? extends JobEvent> type) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.EVENTS_QUEUE, 500);
      if (message != null) {
        JobEvent event = json.readValue(message.getBody(), JobEvent.class);
        if (event.jobId().equals(jobId) && type.isInstance(event)) {
          return;
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " for job " + jobId);
  }

  /** No further event of the job (of the given types; of any type if none given) arrives. */
  @SafeVarargs
  private void assertNoEventsOf(UUID jobId, Class<? extends JobEvent>... types) {
    long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.EVENTS_QUEUE, 100);
      if (message == null) {
        continue;
      }
      JobEvent event = json.readValue(message.getBody(), JobEvent.class);
      if (!event.jobId().equals(jobId)) {
        continue;
      }
      boolean forbidden = types.length == 0;
      for (var type : types) {
        forbidden |= type.isInstance(event);
      }
      assertThat(forbidden).as("unexpected event %s", event).isFalse();
    }
  }
}
