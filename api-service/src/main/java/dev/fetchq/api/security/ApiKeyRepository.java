package dev.fetchq.api.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API keys created through the admin API, by the SHA-256 of the key. */
@Repository
class ApiKeyRepository {

  private final JdbcClient jdbc;

  ApiKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A key by its digest; {@code sha256} is lower-case hex. */
  Optional<Stored> findBySha256(String sha256) {
    return jdbc.sql("select name, role, sha256 from api_key where sha256 = :sha256")
        .param("sha256", sha256)
        .query(
            (rs, row) ->
                new Stored(
                    rs.getString("name"), Role.of(rs.getString("role")), rs.getString("sha256")))
        .optional();
  }

  /**
   * Stores a new key.
   *
   * @throws org.springframework.dao.DuplicateKeyException when the name (or, against all odds, the
   *     digest) is taken
   */
  void insert(String name, Role role, String sha256, Instant createdAt, String createdBy) {
    jdbc.sql(
            """
            insert into api_key (name, role, sha256, created_at, created_by)
            values (:name, :role, :sha256, :createdAt, :createdBy)""")
        .param("name", name)
        .param("role", role.wireName())
        .param("sha256", sha256)
        .param("createdAt", timestamp(createdAt), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("createdBy", createdBy)
        .update();
  }

  List<ApiKey> findAll() {
    return jdbc.sql(
            "select name, role, created_at, created_by, last_used_at from api_key order by name")
        .query(ApiKeyRepository::map)
        .list();
  }

  /** Revokes a key: it stops working with the next request. */
  boolean delete(String name) {
    return jdbc.sql("delete from api_key where name = :name").param("name", name).update() > 0;
  }

  /** Records that the key was used at {@code at}, unless a later use is already recorded. */
  void touch(String name, Instant at) {
    jdbc.sql(
            """
            update api_key set last_used_at = :at
            where name = :name and (last_used_at is null or last_used_at < :at)""")
        .param("name", name)
        .param("at", timestamp(at), Types.TIMESTAMP_WITH_TIMEZONE)
        .update();
  }

  long count() {
    return jdbc.sql("select count(*) from api_key").query(Long.class).single();
  }

  /** What authentication needs of a stored key. */
  record Stored(String name, Role role, String sha256) {}

  private static ApiKey map(ResultSet rs, int row) throws SQLException {
    return new ApiKey(
        rs.getString("name"),
        Role.of(rs.getString("role")),
        ApiKey.DATABASE,
        instant(rs, "created_at"),
        rs.getString("created_by"),
        instant(rs, "last_used_at"));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
