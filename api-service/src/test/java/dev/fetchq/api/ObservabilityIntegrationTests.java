package dev.fetchq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The trace of a request that submits a job goes with its job message, although the outbox relay
 * publishes it later on a thread of its own; events continue the worker's trace; and every log line
 * about a job is JSON with the job id and the trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests extends ApiIntegrationTest {

  private static final String JOB_PACKAGE = "dev.fetchq.api.job";

  @Autowired ConnectionFactory connectionFactory;
  @Autowired MessageConverter converter;

  @Test
  void theJobMessageContinuesTheTraceOfTheRequestThatSubmittedIt() {
    String traceId = randomHex(16);
    String requestSpan = randomHex(8);

    UUID id = submitTraced("00-" + traceId + "-" + requestSpan + "-01");

    // The relay stored the request's context with the message, so the trace survives the outbox.
    String traceparent = takeJob(id).getMessageProperties().getHeader("traceparent");
    assertThat(traceparent).isNotNull();
    String[] parts = traceparent.split("-");
    assertThat(parts[1]).as("trace id").isEqualTo(traceId);
    assertThat(parts[2]).as("parent span: the relay's publish").isNotEqualTo(requestSpan);
    assertThat(parts[3]).as("sampled").isEqualTo("01");
  }

  /**
   * The routine lines (queued, each status change) are DEBUG since they cost more CPU than the work
   * they describe at thousands of jobs a second; an operator who turns them on gets them like this.
   */
  @Test
  void logLinesAboutAJobAreJsonWithItsIdAndTrace(CapturedOutput output) {
    LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
    logging.setLogLevel(JOB_PACKAGE, LogLevel.DEBUG);
    try {
      logLinesAboutAJob(output);
    } finally {
      logging.setLogLevel(JOB_PACKAGE, null);
    }
  }

  private void logLinesAboutAJob(CapturedOutput output) {
    String requestTrace = randomHex(16);
    UUID id = submitTraced("00-" + requestTrace + "-" + randomHex(8) + "-01");
    String workerTrace = randomHex(16);

    reportTraced(
        new JobEvent.Started(id, 1, "w-1", Instant.now()),
        "00-" + workerTrace + "-" + randomHex(8) + "-01");
    awaitStatus(id, "RUNNING");
    mvc.post().uri("/jobs/{id}/cancel", id).exchange();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<JsonNode> lines = linesAbout(output, id);
              assertThat(lines)
                  .extracting(line -> line.get("message").asString())
                  .anyMatch(message -> message.equals("Job " + id + " queued"))
                  .anyMatch(
                      message -> message.equals("Job " + id + " QUEUED -> RUNNING (attempt 1)"))
                  .anyMatch(message -> message.startsWith("Job " + id + " RUNNING -> CANCELLED"));
              assertThat(lines)
                  .allSatisfy(
                      line -> assertThat(line.get("jobId").asString()).isEqualTo(id.toString()));
              assertThat(traceOf(lines, "queued")).isEqualTo(requestTrace);
              // The projection's lines belong to the trace the worker's event carries.
              assertThat(traceOf(lines, "QUEUED -> RUNNING")).isEqualTo(workerTrace);
            });
  }

  private UUID submitTraced(String traceparent) {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .header("traceparent", traceparent)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\":\"https://example.org/traced.bin\"}")
            .exchange();
    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    return UUID.fromString(body(result).get("id").asString());
  }

  /**
   * As a worker in the middle of a trace: on a template without observation, which would replace
   * the header with the test thread's (empty) context.
   */
  private void reportTraced(JobEvent event, String traceparent) {
    var properties = new MessageProperties();
    properties.setHeader("traceparent", traceparent);
    Message message = converter.toMessage(event, properties);
    new RabbitTemplate(connectionFactory)
        .send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, message);
  }

  private List<JsonNode> linesAbout(CapturedOutput output, UUID id) {
    return output
        .getOut()
        .lines()
        .filter(line -> line.contains("\"Job " + id))
        .map(line -> json.readTree(line))
        .toList();
  }

  private static String traceOf(List<JsonNode> lines, String messagePart) {
    return lines.stream()
        .filter(line -> line.get("message").asString().contains(messagePart))
        .map(line -> line.path("traceId").asString(null))
        .findFirst()
        .orElseThrow();
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    value[0] |= 1; // never all zeros, which W3C reads as invalid
    return HexFormat.of().formatHex(value);
  }
}
