package dev.fetchq.api.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Outbox rows in PostgreSQL. */
@Repository
class OutboxRepository {

  private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final NamedParameterJdbcOperations batches;
  private final JsonMapper json;

  OutboxRepository(JdbcClient jdbc, NamedParameterJdbcOperations batches, JsonMapper json) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.json = json;
  }

  private static final String INSERT_ROW =
      """
      insert into outbox_message (exchange, routing_key, message_id, content_type,
        content_encoding, headers, payload, created_at)
      values (:outbox_exchange, :outbox_routingKey, :outbox_messageId, :outbox_contentType,
        :outbox_contentEncoding, cast(:outbox_headers as jsonb), :outbox_payload,
        :outbox_createdAt)""";

  private static final String INSERT = INSERT_ROW + "\nreturning id";

  /** Stores the message and returns its id. */
  long insert(OutboxMessage message) {
    return jdbc.sql(INSERT)
        .paramSource(parameters(message, new MapSqlParameterSource()))
        .query(Long.class)
        .single();
  }

  /**
   * Runs the change and stores the message in one statement (a data-modifying {@code WITH}, which
   * PostgreSQL runs to completion although nothing reads it), and returns the message's id.
   */
  long insertWith(Outbox.Change change, OutboxMessage message) {
    return jdbc.sql("with change as (" + change.sql() + ")\n" + INSERT)
        .paramSource(parameters(message, change.parameters()))
        .query(Long.class)
        .single();
  }

  /**
   * {@link #insertWith} of each change and its message, as one JDBC batch (one round trip). The
   * changes must share their SQL.
   */
  void insertAllWith(List<Outbox.Change> changes, List<OutboxMessage> messages) {
    String sql = changes.getFirst().sql();
    var parameters = new SqlParameterSource[changes.size()];
    for (int i = 0; i < parameters.length; i++) {
      if (!changes.get(i).sql().equals(sql)) {
        throw new IllegalArgumentException("A batch of changes must share their SQL");
      }
      parameters[i] = parameters(messages.get(i), changes.get(i).parameters());
    }
    batches.batchUpdate("with change as (" + sql + ")\n" + INSERT_ROW, parameters);
  }

  private MapSqlParameterSource parameters(OutboxMessage message, MapSqlParameterSource to) {
    return to.addValue("outbox_exchange", message.exchange())
        .addValue("outbox_routingKey", message.routingKey())
        .addValue("outbox_messageId", message.messageId())
        .addValue("outbox_contentType", message.contentType(), Types.VARCHAR)
        .addValue("outbox_contentEncoding", message.contentEncoding(), Types.VARCHAR)
        .addValue("outbox_headers", json.writeValueAsString(message.headers()))
        .addValue("outbox_payload", message.payload(), Types.BINARY)
        .addValue(
            "outbox_createdAt",
            message.createdAt().atOffset(ZoneOffset.UTC),
            Types.TIMESTAMP_WITH_TIMEZONE);
  }

  /** Which of these messages are still waiting to be published. */
  Set<Long> existing(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql("select id from outbox_message where id = any(:ids)")
            .param("ids", ids.toArray(Long[]::new))
            .query(Long.class)
            .list());
  }

  /**
   * The oldest messages, locked until the transaction ends. Rows another relay has locked are
   * skipped, so several replicas relay side by side without publishing the same row twice.
   */
  List<OutboxMessage> lockOldest(int limit) {
    return jdbc.sql(
            """
            select id, exchange, routing_key, message_id, content_type, content_encoding,
              headers::text as headers, payload, created_at
            from outbox_message order by id limit :limit for update skip locked""")
        .param("limit", limit)
        .query(this::map)
        .list();
  }

  void delete(List<Long> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("delete from outbox_message where id = any(:ids)")
          .param("ids", ids.toArray(Long[]::new))
          .update();
    }
  }

  long count() {
    return jdbc.sql("select count(*) from outbox_message").query(Long.class).single();
  }

  private OutboxMessage map(ResultSet rs, int row) throws SQLException {
    return new OutboxMessage(
        rs.getLong("id"),
        rs.getString("exchange"),
        rs.getString("routing_key"),
        rs.getString("message_id"),
        rs.getString("content_type"),
        rs.getString("content_encoding"),
        json.readValue(rs.getString("headers"), HEADERS),
        rs.getBytes("payload"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
