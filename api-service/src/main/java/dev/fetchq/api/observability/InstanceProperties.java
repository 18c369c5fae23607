package dev.fetchq.api.observability;

import dev.fetchq.messaging.ProcessName;
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
      id = ProcessName.of("api");
    }
  }
}
