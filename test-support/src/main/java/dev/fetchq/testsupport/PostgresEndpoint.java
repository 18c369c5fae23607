package dev.fetchq.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** Where a test's PostgreSQL database is. The database is this test run's own. */
public record PostgresEndpoint(String jdbcUrl, String username, String password) {

  public Map<String, String> springProperties() {
    return Map.of(
        "spring.datasource.url", jdbcUrl,
        "spring.datasource.username", username,
        "spring.datasource.password", password);
  }

  /** The same settings as environment variables, for services started as processes. */
  public Map<String, String> environment() {
    return Map.of(
        "SPRING_DATASOURCE_URL", jdbcUrl,
        "SPRING_DATASOURCE_USERNAME", username,
        "SPRING_DATASOURCE_PASSWORD", password);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, username, password);
  }
}
