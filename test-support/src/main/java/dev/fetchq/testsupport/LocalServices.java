package dev.fetchq.testsupport;

import static dev.fetchq.testsupport.TestServices.env;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * The machine's own RabbitMQ and PostgreSQL, for machines without Docker. Each test JVM gets a
 * fresh vhost and database, removed again at exit, so concurrent runs and leftovers of earlier runs
 * cannot interfere.
 */
final class LocalServices {

  private LocalServices() {}

  static RabbitEndpoint rabbit() {
    String host = env("FETCHQ_TEST_RABBITMQ_HOST", "127.0.0.1");
    int port = Integer.parseInt(env("FETCHQ_TEST_RABBITMQ_PORT", "5672"));
    String user = env("FETCHQ_TEST_RABBITMQ_USERNAME", "guest");
    String password = env("FETCHQ_TEST_RABBITMQ_PASSWORD", "guest");
    String management = env("FETCHQ_TEST_RABBITMQ_MANAGEMENT_URL", "http://" + host + ":15672");
    String vhost = "fetchq-test-" + shortId();
    var api = new ManagementApi(management, user, password);
    api.put("/api/vhosts/" + encode(vhost), "{}");
    api.put(
        "/api/permissions/" + encode(vhost) + "/" + encode(user),
        "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> api.deleteQuietly("/api/vhosts/" + encode(vhost))));
    return new RabbitEndpoint(host, port, user, password, vhost, management);
  }

  static PostgresEndpoint postgres() {
    String adminUrl = env("FETCHQ_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = env("FETCHQ_TEST_POSTGRES_USERNAME", "postgres");
    String password = env("FETCHQ_TEST_POSTGRES_PASSWORD", "");
    String database = "fetchq_test_" + shortId();
    execute(adminUrl, user, password, "create database " + database);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    execute(
                        adminUrl,
                        user,
                        password,
                        "drop database if exists " + database + " with (force)");
                  } catch (IllegalStateException ignored) {
                    // best effort at JVM exit; the name is unique, so a leftover harms nobody
                  }
                }));
    String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
    return new PostgresEndpoint(url, user, password);
  }

  private static void execute(String url, String user, String password, String sql) {
    try (var connection = DriverManager.getConnection(url, user, password);
        var statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + url
              + " is not usable for tests ("
              + e.getMessage()
              + "). Start it, or run"
              + " with Docker available.",
          e);
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The RabbitMQ management HTTP API (plugin {@code rabbitmq_management}). */
  private record ManagementApi(String baseUrl, String user, String password) {

    private static final HttpClient HTTP =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    void put(String path, String json) {
      var request =
          base(path)
              .header("content-type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(json));
      int status = send(request.build());
      if (status / 100 != 2) {
        throw new IllegalStateException(
            "RabbitMQ management API PUT " + path + " answered " + status);
      }
    }

    void deleteQuietly(String path) {
      try {
        send(base(path).DELETE().build());
      } catch (IllegalStateException ignored) {
        // best effort at JVM exit
      }
    }

    private HttpRequest.Builder base(String path) {
      String auth =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      return HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(10))
          .header("authorization", "Basic " + auth);
    }

    private int send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        throw new IllegalStateException(
            "RabbitMQ management API at "
                + baseUrl
                + " is not reachable ("
                + e
                + "). Enable it with `rabbitmq-plugins enable rabbitmq_management`, or run with Docker.",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
