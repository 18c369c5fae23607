package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.ControlMessage;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.Headers;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole worker against the test broker (its own vhost, so the worker is the only consumer of
 * the jobs queue) and a real HTTP origin on loopback. Every integration test class extends this and
 * adds no configuration of its own, so all of them share one application context. A test that needs
 * a worker configured otherwise starts one with {@link #startAnotherWorker} and stops this one's
 * job listener meanwhile.
 *
 * <p>The destination guard refuses loopback by default; the origins of these tests live there, so
 * the context allows loopback explicitly, as local runs must.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "fetchq.worker.id=test-worker",
      "fetchq.worker.allowed-hosts=127.0.0.0/8,::1/128",
      "fetchq.worker.max-size=32MB",
      "fetchq.worker.progress-interval=300ms",
      "fetchq.worker.publish-failure-backoff=1s",
      "fetchq.worker.shutdown-timeout=2s",
      // Every attempt announced at once, so that event sequences do not depend on timing (the
      // delayed announcement has its own tests).
      "fetchq.worker.started-event-delay=0",
      "spring.lifecycle.timeout-per-shutdown-phase=10s",
      "fetchq.download.connect-timeout=2s",
      "fetchq.download.response-timeout=2s",
      // Short limits so that the limit tests finish in seconds.
      "fetchq.download.max-duration=10s",
      "fetchq.download.min-speed=1KB",
      "fetchq.download.min-speed-window=2s",
      // Short tiers keep retry tests fast; no jitter, so waits are exactly the tiers.
      "fetchq.retry.tiers=1s,2s,3s",
      "fetchq.retry.max-attempts=3",
      "fetchq.retry.jitter=0",
    })
public abstract class WorkerIntegrationTestSupport {

  /** The listener container's id (JobListener.ID). */
  protected static final String JOB_LISTENER = "fetchq.jobs";

  protected static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The retry tiers' wait queues in this context. */
  protected static final List<String> RETRY_QUEUES =
      Stream.of(1, 2, 3).map(s -> Topology.retryQueue(Duration.ofSeconds(s)).name()).toList();

  /** One storage directory per test JVM, like the context that uses it. */
  protected static final Path STORAGE = temporaryStorage();

  protected static OriginServer origin;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.rabbit().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    registry.add("fetchq.storage.dir", STORAGE::toString);
  }

  @Autowired protected ConfirmedPublisher publisher;
  @Autowired protected RabbitTemplate rabbit;
  @Autowired protected RabbitAdmin admin;
  @Autowired protected MessageConverter converter;
  @Autowired protected JsonMapper json;
  @Autowired protected MeterRegistry meters;
  @Autowired protected RabbitListenerEndpointRegistry listeners;

  @BeforeAll
  static void startOrigin() {
    origin = OriginServer.start();
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @BeforeEach
  void emptyQueues() {
    admin.purgeQueue(Topology.JOBS_QUEUE);
    admin.purgeQueue(Topology.EVENTS_QUEUE);
    admin.purgeQueue(Topology.DEAD_LETTER_QUEUE);
    RETRY_QUEUES.forEach(admin::purgeQueue);
  }

  /** Publishes a job for {@code path} on the origin, as the api-service's outbox relay would. */
  protected UUID submit(String path, String expectedSha256) {
    return submit(origin.url(path).toString(), expectedSha256, null);
  }

  protected UUID submit(String url, String expectedSha256, Integer attempt) {
    return submit(UUID.randomUUID(), url, expectedSha256, attempt, null);
  }

  /**
   * Publishes job {@code jobId} with the given {@link Headers#ATTEMPT} and {@link
   * Headers#BUDGET_START} headers ({@code null}: none).
   */
  protected UUID submit(
      UUID jobId, String url, String expectedSha256, Integer attempt, Integer budgetStart) {
    var job = new DownloadJob(jobId, url, expectedSha256);
    var properties = new MessageProperties();
    properties.setMessageId(job.jobId().toString());
    if (attempt != null) {
      properties.setHeader(Headers.ATTEMPT, attempt);
    }
    if (budgetStart != null) {
      properties.setHeader(Headers.BUDGET_START, budgetStart);
    }
    Message message = converter.toMessage(job, properties);
    publisher.publish(Topology.JOBS_EXCHANGE, Topology.JOBS_ROUTING_KEY, message);
    return job.jobId();
  }

  /** Publishes the cancellation of {@code jobId}, as the api-service's outbox relay would. */
  protected void cancel(UUID jobId) {
    var properties = new MessageProperties();
    properties.setMessageId(jobId.toString());
    Message message =
        converter.toMessage(new ControlMessage.CancelJob(jobId, Instant.now()), properties);
    publisher.publish(Topology.CONTROL_EXCHANGE, Topology.CONTROL_ROUTING_KEY, message);
  }

  /** The job's events in publishing order, up to and including its Succeeded or Failed event. */
  protected List<JobEvent> eventsUntilFinished(UUID jobId) {
    var events = new ArrayList<JobEvent>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.EVENTS_QUEUE, 500);
      if (message == null) {
        continue;
      }
      JobEvent event = json.readValue(message.getBody(), JobEvent.class);
      if (!event.jobId().equals(jobId)) {
        continue;
      }
      events.add(event);
      if (event instanceof JobEvent.Succeeded || event instanceof JobEvent.Failed) {
        return events;
      }
    }
    throw new AssertionError("job " + jobId + " did not finish in " + TIMEOUT + ": " + events);
  }

  /** The job's message in the dead-letter queue. */
  protected Message deadLetter(UUID jobId) {
    Message message = rabbit.receive(Topology.DEAD_LETTER_QUEUE, TIMEOUT.toMillis());
    assertThat(message).as("dead letter of job %s", jobId).isNotNull();
    assertThat(message.getMessageProperties().getMessageId()).isEqualTo(jobId.toString());
    return message;
  }

  protected static Path storedFile(UUID jobId) {
    String id = jobId.toString();
    return STORAGE.resolve(id.substring(id.length() - 2)).resolve(id);
  }

  protected static Path partFile(UUID jobId) {
    return storedFile(jobId).resolveSibling(jobId + ".part");
  }

  /** What a download records beside its partial file, to resume it. */
  protected static Path partMetaFile(UUID jobId) {
    return storedFile(jobId).resolveSibling(jobId + ".part.meta");
  }

  /**
   * A second worker process in this JVM: same broker, vhost and storage, the settings of this class
   * with {@code overrides} on top. Given as command-line arguments, which (unlike default
   * properties) take precedence over application.yml. While this context's job listener runs too,
   * jobs go to either.
   */
  protected static ConfigurableApplicationContext startAnotherWorker(
      String id, Map<String, String> overrides) {
    var properties = new LinkedHashMap<String, String>(TestServices.rabbit().springProperties());
    properties.put("fetchq.storage.dir", STORAGE.toString());
    properties.put("fetchq.worker.id", id);
    properties.put("fetchq.worker.concurrency", "1");
    properties.put("fetchq.worker.allowed-hosts", "127.0.0.0/8,::1/128");
    properties.put("fetchq.worker.publish-failure-backoff", "1s");
    properties.put("fetchq.worker.started-event-delay", "0");
    properties.put("fetchq.download.connect-timeout", "2s");
    properties.put("fetchq.download.response-timeout", "2s");
    properties.put("fetchq.retry.tiers", "1s,2s,3s");
    properties.put("fetchq.retry.max-attempts", "3");
    properties.put("fetchq.retry.jitter", "0");
    properties.put("server.port", "0");
    properties.put("spring.main.banner-mode", "off");
    properties.putAll(overrides);
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    var worker = new SpringApplicationBuilder(WorkerApplication.class).run(args);
    assertThat(worker.getEnvironment().getProperty("spring.rabbitmq.virtual-host"))
        .isEqualTo(TestServices.rabbit().virtualHost());
    return worker;
  }

  protected long queueDepth(String queue) {
    var info = admin.getQueueInfo(queue);
    assertThat(info).as(queue).isNotNull();
    return info.getMessageCount();
  }

  protected double jobsCount(String outcome) {
    return meters.get("fetchq.worker.jobs").tag("outcome", outcome).counter().count();
  }

  protected double retriesCount(FailureReason reason) {
    return meters.get("fetchq.worker.retries").tag("reason", reason.name()).counter().count();
  }

  /**
   * With the job listener container stopped, a message the worker had not acknowledged would be
   * back in the queue.
   */
  protected void assertAcknowledged() {
    var container = listeners.getListenerContainer(JOB_LISTENER);
    container.stop();
    try {
      assertThat(queueDepth(Topology.JOBS_QUEUE)).isZero();
    } finally {
      container.start();
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> admin.getQueueInfo(Topology.JOBS_QUEUE).getConsumerCount() > 0);
  }

  private static Path temporaryStorage() {
    try {
      Path dir = Files.createTempDirectory("fetchq-worker-it-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit; the directory is under the system temp dir
    }
  }
}
