package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** A job's trace continues through the worker into its events, and its log lines say which. */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests extends WorkerIntegrationTestSupport {

  private static final String JOB_PACKAGE = "dev.fetchq.worker.job";

  @Autowired ConnectionFactory connectionFactory;

  @Test
  void theEventsOfAJobContinueTheTraceItsMessageCarries() {
    origin.route("/traced.txt", Routes.content(Content.random(2_000, 5)));
    String traceId = randomHex(16);
    String parentSpan = randomHex(8);

    UUID jobId = publishTraced("/traced.txt", "00-" + traceId + "-" + parentSpan + "-01");
    List<Message> events = eventMessagesUntilFinished(jobId);

    assertThat(events).hasSizeGreaterThanOrEqualTo(2);
    assertThat(events)
        .allSatisfy(
            event -> {
              String traceparent = event.getMessageProperties().getHeader("traceparent");
              assertThat(traceparent).as("traceparent").isNotNull();
              String[] parts = traceparent.split("-");
              assertThat(parts[1]).as("trace id").isEqualTo(traceId);
              // A span of the worker's own, not the sender's.
              assertThat(parts[2]).as("parent span").isNotEqualTo(parentSpan);
            });
  }

  @Test
  void aStoredFileIsMeasuredOnce() {
    origin.route("/measured.bin", Routes.content(Content.random(300_000, 7)));
    long downloads = downloads("succeeded");
    long firstBytes = meters.get("fetchq.worker.time.to.first.byte").timer().count();
    var sizes = meters.get("fetchq.worker.job").summary();
    long files = sizes.count();
    double bytes = sizes.totalAmount();

    eventsUntilFinished(submit("/measured.bin", null));

    assertThat(downloads("succeeded")).isEqualTo(downloads + 1);
    assertThat(meters.get("fetchq.worker.time.to.first.byte").timer().count())
        .isEqualTo(firstBytes + 1);
    assertThat(sizes.count()).isEqualTo(files + 1);
    assertThat(sizes.totalAmount()).isEqualTo(bytes + 300_000);
  }

  @Test
  void everyLogLineAboutAJobIsJsonWithItsIdAttemptAndTrace(CapturedOutput output) {
    origin.route("/logged.txt", Routes.content(Content.random(2_000, 6)));
    String traceId = randomHex(16);
    // A successful attempt logs at DEBUG only (one line per job costs too much at full speed).
    var logging = LoggingSystem.get(getClass().getClassLoader());
    logging.setLogLevel(JOB_PACKAGE, LogLevel.DEBUG);
    UUID jobId;
    try {
      jobId = publishTraced("/logged.txt", "00-" + traceId + "-" + randomHex(8) + "-01");
      eventMessagesUntilFinished(jobId);
      awaitLogLines(output, jobId, traceId);
    } finally {
      logging.setLogLevel(JOB_PACKAGE, null);
    }
  }

  private void awaitLogLines(CapturedOutput output, UUID jobId, String traceId) {

    // The worker logs "succeeded" just after its event is confirmed: wait for the line, not the
    // event.
    List<JsonNode> lines =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    output
                        .getOut()
                        .lines()
                        .filter(line -> line.contains("Job " + jobId))
                        .map(line -> json.readTree(line))
                        .toList(),
                found ->
                    found.stream()
                        .anyMatch(
                            l -> l.get("message").asString().contains("attempt 1 succeeded")));
    assertThat(lines)
        .extracting(line -> line.get("message").asString())
        .anyMatch(message -> message.endsWith("attempt 1 started"))
        .anyMatch(message -> message.contains("attempt 1 succeeded"));
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line.get("jobId").asString()).isEqualTo(jobId.toString());
              assertThat(line.get("attempt").asString()).isEqualTo("1");
              assertThat(line.get("traceId").asString()).isEqualTo(traceId);
              assertThat(line.get("log").get("level").asString()).isEqualTo("DEBUG");
            });
  }

  /**
   * Publishes a job message with a {@code traceparent} header, as the api-service's relay does, on
   * a template without observation (the application's own would replace the header with the test
   * thread's context).
   */
  private UUID publishTraced(String path, String traceparent) {
    var job = new DownloadJob(UUID.randomUUID(), origin.url(path).toString(), null);
    var properties = new MessageProperties();
    properties.setMessageId(job.jobId().toString());
    properties.setHeader("traceparent", traceparent);
    new RabbitTemplate(connectionFactory)
        .send(
            Topology.JOBS_EXCHANGE,
            Topology.JOBS_ROUTING_KEY,
            converter.toMessage(job, properties));
    return job.jobId();
  }

  private List<Message> eventMessagesUntilFinished(UUID jobId) {
    var messages = new ArrayList<Message>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.EVENTS_QUEUE, 500);
      if (message == null) {
        continue;
      }
      JobEvent event = json.readValue(message.getBody(), JobEvent.class);
      if (event.jobId().equals(jobId)) {
        messages.add(message);
        if (event instanceof JobEvent.Succeeded || event instanceof JobEvent.Failed) {
          return messages;
        }
      }
    }
    throw new AssertionError("job " + jobId + " did not finish in " + TIMEOUT);
  }

  private long downloads(String outcome) {
    return meters.get("fetchq.worker.download.duration").tag("outcome", outcome).timer().count();
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    value[0] |= 1; // never all zeros, which W3C reads as invalid
    return HexFormat.of().formatHex(value);
  }
}
