package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;

/**
 * Transient failures wait in the retry tiers (1 s, 2 s, 3 s here, at most 3 attempts, no jitter)
 * and come back as the next attempt; permanent ones and exhausted budgets end in the dead-letter
 * queue. Spacing is asserted from the origin's request times: never shorter than the tier, and
 * within generous bounds above it.
 */
class RetryIntegrationTests extends WorkerIntegrationTestSupport {

  /** Slack for broker TTL granularity, scheduling and a busy 2-core machine. */
  private static final Duration GENEROUS = Duration.ofSeconds(4);

  @Test
  void aJobThatFailsTwiceSucceedsOnItsThirdAttemptAfterTheTierDelays() {
    var content = Content.random(50_000, 40);
    origin.route("/flaky.bin", Routes.failTimes(2, 503, Routes.content(content)));
    double retriedBefore = jobsCount("retried");
    double transientRetriesBefore = retriesCount(FailureReason.HTTP_TRANSIENT);

    Message republished;
    List<JobEvent> events;
    try (var tap = tapRetryTier(Duration.ofSeconds(2))) {
      UUID jobId = submit("/flaky.bin", content.sha256());
      // Taken as soon as it is parked: it carries its tier's expiration into the tap too.
      republished = tap.take();
      events = eventsUntilFinished(jobId);
    }

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + "@" + e.attempt())
        .containsExactly(
            "Started@1",
            "RetryScheduled@1",
            "Started@2",
            "RetryScheduled@2",
            "Started@3",
            "Succeeded@3");
    var firstRetry = (JobEvent.RetryScheduled) events.get(1);
    assertThat(firstRetry.nextAttempt()).isEqualTo(2);
    assertThat(firstRetry.failure().reason()).isEqualTo(FailureReason.HTTP_TRANSIENT);
    assertThat(firstRetry.failure().httpStatus()).isEqualTo(503);
    assertThat(Duration.between(firstRetry.at(), firstRetry.nextAttemptAt()))
        .isEqualTo(Duration.ofSeconds(1));
    var secondRetry = (JobEvent.RetryScheduled) events.get(3);
    assertThat(secondRetry.nextAttempt()).isEqualTo(3);
    assertThat(Duration.between(secondRetry.at(), secondRetry.nextAttemptAt()))
        .isEqualTo(Duration.ofSeconds(2));

    List<Instant> requests = origin.requestTimes("/flaky.bin");
    assertThat(requests).hasSize(3);
    assertSpacing(requests.get(0), requests.get(1), Duration.ofSeconds(1));
    assertSpacing(requests.get(1), requests.get(2), Duration.ofSeconds(2));

    // What the worker republished for attempt 3: our attempt header, not the broker's x-death of
    // the attempt-2 delivery (which came back from the 1 s tier).
    assertThat(republished).as("message parked in the 2 s tier").isNotNull();
    var properties = republished.getMessageProperties();
    assertThat(properties.getMessageId()).isEqualTo(events.getFirst().jobId().toString());
    assertThat(properties.getHeaders())
        .containsEntry(Headers.ATTEMPT, 3)
        .doesNotContainKeys("x-death", "x-first-death-reason", "x-last-death-reason");
    assertThat(jobsCount("retried")).isEqualTo(retriedBefore + 2);
    assertThat(retriesCount(FailureReason.HTTP_TRANSIENT)).isEqualTo(transientRetriesBefore + 2);
    assertThat(storedFile(events.getFirst().jobId())).hasBinaryContent(content.bytes());
  }

  @Test
  void aRetryAfterLongerThanTheNextTierIsHonoured() {
    var content = Content.random(1_000, 41);
    origin.route("/busy.bin", Routes.retryAfter(503, 2, Routes.content(content)));

    UUID jobId = submit("/busy.bin", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    var retry = (JobEvent.RetryScheduled) events.get(1);
    // The first retry would wait 1 s; the origin asked for 2, so the 2 s tier it is.
    assertThat(Duration.between(retry.at(), retry.nextAttemptAt()))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(events.getLast()).isInstanceOf(JobEvent.Succeeded.class);
    List<Instant> requests = origin.requestTimes("/busy.bin");
    assertThat(requests).hasSize(2);
    assertSpacing(requests.get(0), requests.get(1), Duration.ofSeconds(2));
  }

  @Test
  void aPermanentFailureIsDeadLetteredAfterExactlyOneRequest() {
    origin.route("/missing", Routes.status(404));

    UUID jobId = submit("/missing", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events).extracting(JobEvent::attempt).containsOnly(1);
    assertThat(events).noneMatch(JobEvent.RetryScheduled.class::isInstance);
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.ATTEMPT, 1)
        .containsEntry(Headers.FAILURE_REASON, "HTTP_CLIENT_ERROR")
        .containsEntry(Headers.FAILURE_HTTP_STATUS, 404);
    assertNoMoreRequests("/missing", 1);
  }

  @Test
  void aJobThatAlwaysFailsIsDeadLetteredAfterExactlyMaxAttempts() {
    origin.route("/broken", Routes.status(500));

    UUID jobId = submit("/broken", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events)
        .filteredOn(JobEvent.Started.class::isInstance)
        .extracting(JobEvent::attempt)
        .containsExactly(1, 2, 3);
    assertThat(events).filteredOn(JobEvent.RetryScheduled.class::isInstance).hasSize(2);
    var failed = (JobEvent.Failed) events.getLast();
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.failure().httpStatus()).isEqualTo(500);
    Message dead = deadLetter(jobId);
    assertThat(dead.getMessageProperties().getHeaders())
        .containsEntry(Headers.ATTEMPT, 3)
        .containsEntry(Headers.FAILURE_REASON, "HTTP_TRANSIENT")
        .containsEntry(Headers.FAILURE_HTTP_STATUS, 500)
        .containsEntry(Headers.FAILURE_MESSAGE, "HTTP 500 Internal Server Error")
        .containsEntry(Headers.FAILURE_WORKER, "test-worker")
        .doesNotContainKeys("x-death", "x-first-death-reason");
    assertNoMoreRequests("/broken", 3);
  }

  @Test
  void aConnectionResetMidBodyIsRetriedWithoutLeavingThePartialFile() {
    var content = Content.random(300_000, 42);
    origin.route(
        "/cut.bin",
        Routes.times(1, Routes.resetMidBody(content, 100_000), Routes.content(content)));

    UUID jobId = submit("/cut.bin", content.sha256());

    var events = new java.util.ArrayList<JobEvent>();
    JobEvent.RetryScheduled retry = null;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (retry == null && System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.EVENTS_QUEUE, 500);
      if (message != null) {
        JobEvent event = json.readValue(message.getBody(), JobEvent.class);
        events.add(event);
        if (event instanceof JobEvent.RetryScheduled scheduled) {
          retry = scheduled;
        }
      }
    }
    assertThat(retry).as("RetryScheduled among %s", events).isNotNull();
    assertThat(retry.failure().reason()).isEqualTo(FailureReason.CONNECTION);
    // The job is waiting in its tier now; the first attempt's partial file is gone.
    assertThat(partFile(jobId)).doesNotExist();
    assertThat(storedFile(jobId)).doesNotExist();

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.attempt()).isEqualTo(2);
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    assertThat(origin.history("/cut.bin").getFirst().brokenOff()).isTrue();
  }

  @Test
  void aRedirectLoopIsAnInvalidUrlDeadLetteredAfterOneAttempt() {
    origin.route("/loop", Routes.redirectLoop());

    UUID jobId = submit("/loop", null);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events).hasSize(2);
    var failed = (JobEvent.Failed) events.getLast();
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.failure().reason()).isEqualTo(FailureReason.INVALID_URL);
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.FAILURE_REASON, "INVALID_URL");
    // a, b, a again: the client stops when the next hop would be b a second time.
    assertNoMoreRequests("/loop", 3);
  }

  @Test
  void aReplayedJobGetsAFreshBudgetNotTheRestOfTheOldOne() {
    origin.route("/still-broken", Routes.status(503));

    // Replayed from the dead-letter queue after attempt 6: attempt 7 is the 2nd of a budget that
    // began at 6, so with 3 attempts per budget exactly one more try follows.
    UUID jobId = submit(UUID.randomUUID(), origin.url("/still-broken").toString(), null, 7, 6);
    List<JobEvent> events = eventsUntilFinished(jobId);

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + "@" + e.attempt())
        .containsExactly("Started@7", "RetryScheduled@7", "Started@8", "Failed@8");
    assertThat(deadLetter(jobId).getMessageProperties().getHeaders())
        .containsEntry(Headers.ATTEMPT, 8)
        .containsEntry(Headers.BUDGET_START, 6);
    assertNoMoreRequests("/still-broken", 2);
  }

  private static void assertSpacing(Instant earlier, Instant later, Duration tier) {
    assertThat(Duration.between(earlier, later))
        .isGreaterThanOrEqualTo(tier)
        .isLessThan(tier.plus(GENEROUS));
  }

  /**
   * The origin saw {@code expected} requests, and will see no more: the job is dead-lettered and no
   * copy of it waits in a retry tier or the work queue.
   */
  private void assertNoMoreRequests(String path, int expected) {
    assertThat(origin.requests(path)).isEqualTo(expected);
    RETRY_QUEUES.forEach(queue -> assertThat(queueDepth(queue)).as(queue).isZero());
    assertThat(queueDepth(Topology.JOBS_QUEUE)).isZero();
  }

  /**
   * Binds a queue of its own to the retry exchange with a tier's routing key, so it receives a copy
   * of every message the worker parks in that tier, as the worker published it.
   */
  private RetryTap tapRetryTier(Duration tier) {
    Queue queue = QueueBuilder.durable("test.retry-tap." + UUID.randomUUID()).quorum().build();
    admin.declareQueue(queue);
    Binding binding =
        BindingBuilder.bind(queue)
            .to(new DirectExchange(Topology.RETRY_EXCHANGE))
            .with(Topology.retryQueue(tier).routingKey());
    admin.declareBinding(binding);
    return new RetryTap(queue.getName());
  }

  private final class RetryTap implements AutoCloseable {
    private final String queue;

    RetryTap(String queue) {
      this.queue = queue;
    }

    /** Waits for the first message parked in the tier since the tap was set, or {@code null}. */
    Message take() {
      return rabbit.receive(queue, TIMEOUT.toMillis());
    }

    @Override
    public void close() {
      admin.deleteQueue(queue);
    }
  }
}
