package dev.fetchq.api.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This api-service process.
 *
 * @param id names this process in metrics (tag {@code instance_id}); defaults to {@code
 *     <hostname>-<pid>}
 */
@ConfigurationProperties("fetchq.instance")
record InstanceProperties(String id) {

  InstanceProperties {
    if (id == null || id.isBlank()) {
      id = hostname() + "-" + ProcessHandle.current().pid();
    }
  }

  /** Without a DNS lookup: containers set HOSTNAME, Linux hosts have /etc/hostname. */
  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String file = Files.readString(Path.of("/etc/hostname")).strip();
      return file.isEmpty() ? "api" : file;
    } catch (IOException | RuntimeException e) {
      return "api";
    }
  }
}
