package dev.fetchq.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.api.ApiApplication;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.RabbitEndpoint;
import dev.fetchq.testsupport.TcpProxy;
import dev.fetchq.testsupport.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The broker being down never loses or rejects a job: the API keeps answering 202, the job waits in
 * the outbox, and the relay publishes it once the broker is reachable again.
 *
 * <p>This runs a second api-service of its own, which reaches the broker through a proxy that the
 * test cuts and then restores. It uses a database schema of its own, so the shared test context's
 * relay cannot publish its outbox rows.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokerOutageIntegrationTests {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN_KEY = "broker-outage-admin-key-0123456789";

  @Test
  void jobsAreAcceptedWhileTheBrokerIsDownAndPublishedWhenItIsBack(CapturedOutput output)
      throws Exception {
    RabbitEndpoint rabbit = TestServices.rabbit();
    try (var broker = TcpProxy.start(rabbit.host(), rabbit.port())) {
      broker.cut();
      try (ConfigurableApplicationContext api = startApi(broker.port())) {
        JdbcClient jdbc = api.getBean(JdbcClient.class);

        HttpResponse<String> response = submit(api, "http://127.0.0.1:9/outage.bin");

        assertThat(response.statusCode()).isEqualTo(202);
        UUID id =
            UUID.fromString(response.headers().firstValue("Location").orElseThrow().substring(6));
        await()
            .during(Duration.ofMillis(1500))
            .atMost(Duration.ofSeconds(5))
            .until(() -> outboxRows(jdbc, id) == 1);

        broker.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(jdbc, id) == 0);

        Message published = takeJob(api.getBean(RabbitTemplate.class), id);
        assertThat(published.getMessageProperties().getMessageId()).isEqualTo(id.toString());
      }
    }
    assertThat(output.getOut().split("Outbox relay cannot publish", -1)).hasSize(2);
    assertThat(output.getOut()).contains("Outbox relay publishes again");
  }

  private static ConfigurableApplicationContext startApi(int brokerPort) {
    var properties = new LinkedHashMap<>(TestServices.springProperties());
    String url = properties.get("spring.datasource.url");
    properties.put(
        "spring.datasource.url",
        url + (url.contains("?") ? "&" : "?") + "currentSchema=broker_outage");
    properties.put("spring.flyway.schemas", "broker_outage");
    properties.put("spring.rabbitmq.host", "127.0.0.1");
    properties.put("spring.rabbitmq.port", Integer.toString(brokerPort));
    properties.put("spring.rabbitmq.listener.simple.auto-startup", "false");
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    properties.put("fetchq.outbox.poll-interval", "50ms");
    properties.put("fetchq.outbox.max-backoff", "500ms");
    properties.put("fetchq.admin.token", ADMIN_KEY);
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(ApiApplication.class).run(args);
  }

  private static HttpResponse<String> submit(ConfigurableApplicationContext api, String url)
      throws Exception {
    int port = api.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int outboxRows(JdbcClient jdbc, UUID id) {
    return jdbc.sql("select count(*) from outbox_message where message_id = ?")
        .param(id.toString())
        .query(Integer.class)
        .single();
  }

  private static Message takeJob(RabbitTemplate rabbit, UUID id) {
    var found = new AtomicReference<Message>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Message message = rabbit.receive(Topology.JOBS_QUEUE, 200);
              if (message != null
                  && id.toString().equals(message.getMessageProperties().getMessageId())) {
                found.set(message);
              }
              return found.get() != null;
            });
    return found.get();
  }
}
