package dev.fetchq.api.observability;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tags every meter of this process with its instance id (next to {@code application}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InstanceProperties.class)
class MetricsConfiguration {

  /**
   * Not {@code instance}: Prometheus gives every scraped series an {@code instance} label of its
   * own (the target's host:port) and would rename ours to {@code exported_instance}, or, with
   * {@code honor_labels}, drop its own and break joins with {@code up}. {@code instance_id} keeps
   * both.
   */
  static final String INSTANCE_TAG = "instance_id";

  @Bean
  MeterRegistryCustomizer<MeterRegistry> instanceIdTag(InstanceProperties instance) {
    return registry -> registry.config().commonTags(INSTANCE_TAG, instance.id());
  }
}
