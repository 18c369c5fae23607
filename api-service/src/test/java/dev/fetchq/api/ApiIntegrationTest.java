package dev.fetchq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole api-service against the real PostgreSQL and RabbitMQ of {@link TestServices}. Every
 * integration test class extends this one, so they all share one Spring context.
 *
 * <p>The tests play the download worker: they take job messages from {@link Topology#JOBS_QUEUE}
 * and report {@link JobEvent}s to {@link Topology#EVENTS_EXCHANGE}, as a worker does.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "fetchq.storage.dir=" + ApiIntegrationTest.STORAGE_DIR,
      "fetchq.outbox.poll-interval=50ms",
      "fetchq.admin.token=" + ApiIntegrationTest.ADMIN_TOKEN,
      "fetchq.instance.id=" + ApiIntegrationTest.INSTANCE_ID
    })
@AutoConfigureMockMvc
public abstract class ApiIntegrationTest {

  protected static final String STORAGE_DIR = "target/it-storage";
  protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  protected static final String INSTANCE_ID = "api-test-1";
  protected static final Path STORAGE = Path.of(STORAGE_DIR);

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.springProperties().forEach((key, value) -> registry.add(key, () -> value));
  }

  @Autowired protected MockMvcTester mvc;
  @Autowired protected RabbitTemplate rabbit;
  @Autowired protected JdbcClient jdbc;
  @Autowired protected JsonMapper json;

  /** Submits a job for {@code url} and returns its id. */
  protected UUID submit(String url) {
    MvcTestResult result =
        mvc.post()
            .uri("/jobs")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\":\"" + url + "\"}")
            .exchange();
    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    return UUID.fromString(body(result).get("id").asString());
  }

  /** The job as {@code GET /jobs/{id}} shows it. */
  protected JsonNode job(UUID id) {
    MvcTestResult result = mvc.get().uri("/jobs/{id}", id).exchange();
    assertThat(result).hasStatus(HttpStatus.OK);
    return body(result);
  }

  protected JsonNode awaitStatus(UUID id, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(job(id).get("status").asString()).isEqualTo(status));
    return job(id);
  }

  /** As a worker: takes the job message of {@code jobId} from the jobs queue, skipping others. */
  protected Message takeJob(UUID jobId) {
    var found = new AtomicReference<Message>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Message message = rabbit.receive(Topology.JOBS_QUEUE, 200);
              if (message != null
                  && jobId.toString().equals(message.getMessageProperties().getMessageId())) {
                found.set(message);
              }
              return found.get() != null;
            });
    return found.get();
  }

  /** As a worker: reports an event. */
  protected void report(JobEvent event) {
    rabbit.convertAndSend(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, event);
  }

  /**
   * Waits until every event reported so far has been projected. Events are consumed in order by one
   * consumer, so once a marker job reported after them shows RUNNING, they are done.
   */
  protected void awaitEventsProjected() {
    UUID marker = submit("https://example.org/marker");
    report(new JobEvent.Started(marker, 1, "marker", Instant.now()));
    awaitStatus(marker, "RUNNING");
  }

  protected JsonNode body(MvcTestResult result) {
    return json.readTree(result.getResponse().getContentAsByteArray());
  }
}
