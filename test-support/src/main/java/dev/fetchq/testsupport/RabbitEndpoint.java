package dev.fetchq.testsupport;

import java.util.Map;

/** Where a test's RabbitMQ is, including the vhost that isolates this test run. */
public record RabbitEndpoint(
    String host,
    int port,
    String username,
    String password,
    String virtualHost,
    String managementUrl) {

  public Map<String, String> springProperties() {
    return Map.of(
        "spring.rabbitmq.host", host,
        "spring.rabbitmq.port", Integer.toString(port),
        "spring.rabbitmq.username", username,
        "spring.rabbitmq.password", password,
        "spring.rabbitmq.virtual-host", virtualHost);
  }

  /** The same settings as environment variables, for services started as processes. */
  public Map<String, String> environment() {
    return Map.of(
        "SPRING_RABBITMQ_HOST", host,
        "SPRING_RABBITMQ_PORT", Integer.toString(port),
        "SPRING_RABBITMQ_USERNAME", username,
        "SPRING_RABBITMQ_PASSWORD", password,
        "SPRING_RABBITMQ_VIRTUAL_HOST", virtualHost);
  }

  @Override
  public String toString() {
    return host + ":" + port + " vhost " + virtualHost;
  }
}
