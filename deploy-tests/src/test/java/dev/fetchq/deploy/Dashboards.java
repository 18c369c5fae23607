package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Grafana dashboards in observability/grafana/dashboards and what they are provisioned with.
 */
final class Dashboards {

  static final String DIRECTORY = "observability/grafana/dashboards";
  static final String DATASOURCES = "observability/grafana/provisioning/datasources/prometheus.yml";
  static final String PROVIDERS = "observability/grafana/provisioning/dashboards/fetchq.yml";
  static final String IMPORT_SCRIPT = "observability/grafana/import-dashboard.py";

  /**
   * Public third-party dashboards fetchq shows next to its own (grafana.com id → the uid, and file
   * name, they are provisioned under): RabbitMQ-Overview, published by the RabbitMQ team, and JVM
   * (Micrometer). They are never committed (this workplace forbids committing third-party files
   * fetched from public sources): import-dashboard.py downloads them where fetchq is deployed, the
   * compose service grafana-dashboards at each start, a person for Kubernetes.
   */
  static final Map<Integer, String> PUBLIC =
      Map.of(10991, "rabbitmq-overview", 4701, "jvm-micrometer");

  /** Strict JSON: a duplicate key is an error (Grafana would silently keep the last one). */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private Dashboards() {}

  static List<Path> files() {
    try (var files = Files.list(Repository.path(DIRECTORY))) {
      var list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(list).isNotEmpty();
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    return read(Repository.read(file));
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The uids of the provisioned datasources: what every query must name. */
  static Set<String> datasourceUids() {
    var uids = new LinkedHashSet<String>();
    Yaml.file(DATASOURCES).path("datasources").forEach(d -> uids.add(d.path("uid").asText()));
    return uids;
  }

  /**
   * Every panel, with the panels inside rows (collapsed rows keep theirs in {@code panels}), and
   * those of a dashboard older than schema 16, whose panels sit in {@code rows[].panels}.
   */
  static List<JsonNode> panels(JsonNode dashboard) {
    var all = new ArrayList<JsonNode>();
    collect(dashboard.path("panels"), all);
    for (var legacyRow : dashboard.path("rows")) {
      collect(legacyRow.path("panels"), all);
    }
    return all;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (var panel : panels) {
      into.add(panel);
      collect(panel.path("panels"), into);
    }
  }

  /** The query text of a template variable (a string, or an object with a {@code query}). */
  static String variableQuery(JsonNode variable) {
    var query = variable.path("query");
    return query.isObject() ? query.path("query").asText() : query.asText();
  }
}
