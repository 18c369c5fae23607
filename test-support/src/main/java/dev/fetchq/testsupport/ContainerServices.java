package dev.fetchq.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers, for machines with Docker. The containers live until the JVM exits (Ryuk removes
 * them).
 */
final class ContainerServices {

  static final String RABBITMQ_IMAGE = "rabbitmq:4.1.4-management";
  static final String POSTGRES_IMAGE = "postgres:17.6-alpine";

  private ContainerServices() {}

  @SuppressWarnings("resource") // lives for the whole test JVM
  static RabbitEndpoint rabbit() {
    var container = new RabbitMQContainer(DockerImageName.parse(RABBITMQ_IMAGE));
    container.start();
    return new RabbitEndpoint(
        container.getHost(),
        container.getAmqpPort(),
        container.getAdminUsername(),
        container.getAdminPassword(),
        "/",
        container.getHttpUrl());
  }

  @SuppressWarnings("resource") // lives for the whole test JVM
  static PostgresEndpoint postgres() {
    var container = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
    container.start();
    return new PostgresEndpoint(
        container.getJdbcUrl(), container.getUsername(), container.getPassword());
  }
}
