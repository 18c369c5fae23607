package dev.fetchq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole api-service against the real PostgreSQL and RabbitMQ of {@link TestServices}. Every
 * integration test class extends this one, so they all share one Spring context.
 *
 * <p>Requests through {@link #mvc} carry the client key {@link #CLIENT_KEY} (tenant {@link
 * #CLIENT}) unless they set their own {@code Authorization}; {@link #asAdmin} and {@link #as}
 * switch keys. Two client keys are configured in the one-variable form ({@code
 * FETCHQ_SECURITY_APIKEYS}), and the admin token ({@code fetchq.admin.token}) is the admin key
 * named {@code admin}.
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
      // One consumer keeps the queue's order, which awaitEventsProjected relies on.
      "fetchq.events.consumers=1",
      "fetchq.admin.token=" + ApiIntegrationTest.ADMIN_TOKEN,
      "fetchq.security.api-keys="
          + ApiIntegrationTest.CLIENT
          + ":client:2c78ec52f96510c7e023c990af9dafb84bbef5075c701dae1ae2366f80ace2f8,"
          + ApiIntegrationTest.OTHER_CLIENT
          + ":CLIENT:915D082FC1613D62328234839C7FFDF3A32B5ADA53F03E2C9CD73637D4EED5FB",
      "fetchq.instance.id=" + ApiIntegrationTest.INSTANCE_ID
    })
@AutoConfigureMockMvc
@Import(ApiIntegrationTest.ClientKeyByDefault.class)
public abstract class ApiIntegrationTest {

  protected static final String STORAGE_DIR = "target/it-storage";
  protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  protected static final String CLIENT = "client-a";
  protected static final String CLIENT_KEY = "fq_it-client-a-key-00000000000000000000000000000";
  protected static final String OTHER_CLIENT = "client-b";
  protected static final String OTHER_CLIENT_KEY =
      "fq_it-client-b-key-00000000000000000000000000000";
  protected static final String INSTANCE_ID = "api-test-1";
  protected static final Path STORAGE = Path.of(STORAGE_DIR);

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.springProperties().forEach((key, value) -> registry.add(key, () -> value));
  }

  /**
   * Sends the client key with every MockMvc request that has no {@code Authorization} of its own.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class ClientKeyByDefault {
    @Bean
    MockMvcBuilderCustomizer sendTheClientKey() {
      return builder ->
          builder.defaultRequest(get("/").header(HttpHeaders.AUTHORIZATION, bearer(CLIENT_KEY)));
    }
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
   * consumer (in batches, each committed before the next), so once a marker job reported after them
   * shows RUNNING, they are done.
   */
  protected void awaitEventsProjected() {
    UUID marker = submit("https://example.org/marker");
    report(new JobEvent.Started(marker, 1, "marker", Instant.now()));
    awaitStatus(marker, "RUNNING");
  }

  protected static String bearer(String key) {
    return "Bearer " + key;
  }

  /** The request, sent with the admin key. */
  protected static <T extends AbstractMockHttpServletRequestBuilder<T>> T asAdmin(T request) {
    return as(ADMIN_TOKEN, request);
  }

  /** The request, sent with {@code key}. */
  protected static <T extends AbstractMockHttpServletRequestBuilder<T>> T as(
      String key, T request) {
    return request.header(HttpHeaders.AUTHORIZATION, bearer(key));
  }

  protected JsonNode body(MvcTestResult result) {
    return json.readTree(result.getResponse().getContentAsByteArray());
  }
}
