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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Outbox rows in PostgreSQL. */
@Repository
class OutboxRepository {

  private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  OutboxRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Stores the message and returns its id. */
  long insert(OutboxMessage message) {
    return jdbc.sql(
            """
            insert into outbox_message (exchange, routing_key, message_id, content_type,
              content_encoding, headers, payload, created_at)
            values (:exchange, :routingKey, :messageId, :contentType, :contentEncoding,
              cast(:headers as jsonb), :payload, :createdAt)
            returning id""")
        .paramSource(
            new MapSqlParameterSource()
                .addValue("exchange", message.exchange())
                .addValue("routingKey", message.routingKey())
                .addValue("messageId", message.messageId())
                .addValue("contentType", message.contentType(), Types.VARCHAR)
                .addValue("contentEncoding", message.contentEncoding(), Types.VARCHAR)
                .addValue("headers", json.writeValueAsString(message.headers()))
                .addValue("payload", message.payload(), Types.BINARY)
                .addValue(
                    "createdAt",
                    message.createdAt().atOffset(ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE))
        .query(Long.class)
        .single();
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
