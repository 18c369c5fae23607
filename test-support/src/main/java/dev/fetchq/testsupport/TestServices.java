package dev.fetchq.testsupport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The real RabbitMQ and PostgreSQL a test run talks to, started once per JVM.
 *
 * <p>With Docker available they come from Testcontainers (RabbitMQ 4.x, as users run it). Without
 * Docker they are the machine's own services, each test JVM isolated in a fresh vhost and a fresh
 * database that are removed when it exits. Integration tests never skip: if neither is reachable
 * the first test fails and says why.
 *
 * <p>{@code FETCHQ_TEST_SERVICES=docker|local|auto} (default {@code auto}) forces a mode. Local
 * endpoints are read from {@code FETCHQ_TEST_RABBITMQ_HOST}, {@code _PORT}, {@code _USERNAME},
 * {@code _PASSWORD}, {@code FETCHQ_TEST_RABBITMQ_MANAGEMENT_URL} and {@code
 * FETCHQ_TEST_POSTGRES_URL}, {@code _USERNAME}, {@code _PASSWORD}, with this machine's defaults.
 */
public final class TestServices {

  private static final Logger log = LoggerFactory.getLogger(TestServices.class);

  private static volatile RabbitEndpoint rabbit;
  private static volatile PostgresEndpoint postgres;

  private TestServices() {}

  /** Whether this run uses Testcontainers (true) or the machine's services (false). */
  public static boolean docker() {
    String mode = env("FETCHQ_TEST_SERVICES", "auto").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "docker" -> true;
      case "local" -> false;
      default -> DockerHolder.AVAILABLE;
    };
  }

  public static synchronized RabbitEndpoint rabbit() {
    if (rabbit == null) {
      rabbit = docker() ? ContainerServices.rabbit() : LocalServices.rabbit();
      log.info("Tests use RabbitMQ {}", rabbit);
    }
    return rabbit;
  }

  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      postgres = docker() ? ContainerServices.postgres() : LocalServices.postgres();
      log.info("Tests use PostgreSQL {}", postgres.jdbcUrl());
    }
    return postgres;
  }

  /**
   * A RabbitMQ broker of the caller's own, which it may stop and start: for fault tests, which must
   * not stop the broker every other test shares. The caller closes it.
   */
  public static StoppableRabbit stoppableRabbit() {
    var broker = docker() ? ContainerStoppables.rabbit() : LocalRabbitNode.launch();
    log.info("Fault tests use {}", broker);
    return broker;
  }

  /**
   * A PostgreSQL server of the caller's own, which it may stop and start: for fault tests. The
   * caller closes it.
   */
  public static StoppablePostgres stoppablePostgres() {
    var server = docker() ? ContainerStoppables.postgres() : LocalPostgresServer.launch();
    log.info("Fault tests use {}", server);
    return server;
  }

  /** Spring Boot properties that point an application at the test broker and database. */
  public static Map<String, String> springProperties() {
    var props = new LinkedHashMap<String, String>();
    props.putAll(rabbit().springProperties());
    props.putAll(postgres().springProperties());
    return props;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static final class DockerHolder {
    static final boolean AVAILABLE = probe();

    private static boolean probe() {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }
  }
}
