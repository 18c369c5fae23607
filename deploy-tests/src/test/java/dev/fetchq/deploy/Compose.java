package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker-compose.yml as Compose resolves it ({@code docker-compose config}: .env interpolated,
 * anchors merged, relative paths made absolute). Reads both the short forms Compose 1.29 prints and
 * the long forms of Compose v2.
 */
final class Compose {

  private Compose() {}

  /** A volume or bind mount of a service. */
  record Mount(String source, String target, boolean readOnly) {
    boolean isBind() {
      return source.startsWith("/") || source.startsWith(".");
    }
  }

  /** A published port. */
  record Port(String hostIp, String published, int target) {}

  static JsonNode config() {
    return Holder.CONFIG;
  }

  static Iterable<Map.Entry<String, JsonNode>> services() {
    return config().path("services").properties();
  }

  static JsonNode service(String name) {
    var service = config().path("services").path(name);
    assertThat(service.isMissingNode()).as("compose service %s exists", name).isFalse();
    return service;
  }

  static Map<String, String> environment(String service) {
    var environment = new LinkedHashMap<String, String>();
    service(service)
        .path("environment")
        .properties()
        .forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
    return environment;
  }

  static List<Mount> mounts(String service) {
    var mounts = new ArrayList<Mount>();
    for (var volume : service(service).path("volumes")) {
      if (volume.isTextual()) {
        var parts = volume.asText().split(":");
        var readOnly = parts.length > 2 && parts[2].contains("ro");
        mounts.add(new Mount(parts[0], parts[1], readOnly));
      } else {
        mounts.add(
            new Mount(
                volume.path("source").asText(),
                volume.path("target").asText(),
                volume.path("read_only").asBoolean(false)));
      }
    }
    return mounts;
  }

  static List<Port> ports(String service) {
    var ports = new ArrayList<Port>();
    for (var port : service(service).path("ports")) {
      if (port.isTextual()) {
        // [host_ip:]published:target[/protocol]
        var spec = port.asText().replaceFirst("/(tcp|udp)$", "");
        var parts = spec.split(":");
        var target = Integer.parseInt(parts[parts.length - 1]);
        var published = parts.length > 1 ? parts[parts.length - 2] : "";
        var hostIp = parts.length > 2 ? parts[0] : "";
        ports.add(new Port(hostIp, published, target));
      } else {
        ports.add(
            new Port(
                port.path("host_ip").asText(""),
                port.path("published").asText(""),
                port.path("target").asInt()));
      }
    }
    return ports;
  }

  /** The .env file next to docker-compose.yml: the local defaults. */
  static Map<String, String> dotEnv() {
    var values = new LinkedHashMap<String, String>();
    for (var line : Repository.read(".env").lines().toList()) {
      var trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      var equals = trimmed.indexOf('=');
      values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return values;
  }

  private static final class Holder {
    static final JsonNode CONFIG =
        Yaml.read(
            Tool.run("docker-compose", "-f", "docker-compose.yml", "config")
                .requireSuccess()
                .stdout());
  }
}
