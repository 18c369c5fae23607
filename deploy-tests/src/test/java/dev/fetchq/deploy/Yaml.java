package dev.fetchq.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** YAML (and JSON) as Jackson trees; duplicate keys are errors, as they are for Kubernetes. */
final class Yaml {

  static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private Yaml() {}

  static JsonNode read(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode file(String relativePath) {
    return read(Repository.read(relativePath));
  }

  /** Every document of a multi-document stream (kustomize output), empty documents left out. */
  static List<JsonNode> readAll(String yaml) {
    var documents = new ArrayList<JsonNode>();
    try (JsonParser parser = MAPPER.createParser(yaml)) {
      var values = MAPPER.readValues(parser, JsonNode.class);
      while (values.hasNext()) {
        var document = values.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }
}
