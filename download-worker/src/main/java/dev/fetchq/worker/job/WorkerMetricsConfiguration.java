package dev.fetchq.worker.job;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tags every meter of this process with the worker's id. */
@Configuration(proxyBeanMethods = false)
class WorkerMetricsConfiguration {

  /**
   * Not {@code instance}: Prometheus gives every scraped series an {@code instance} label of its
   * own (the target's host:port) and would rename ours to {@code exported_instance}, or, with
   * {@code honor_labels}, drop its own and break joins with {@code up}. {@code instance_id} keeps
   * both, and matches the worker named in job status, events and dead-letter headers.
   */
  static final String INSTANCE_TAG = "instance_id";

  @Bean
  MeterRegistryCustomizer<MeterRegistry> instanceIdTag(WorkerProperties properties) {
    return registry -> registry.config().commonTags(INSTANCE_TAG, properties.id());
  }
}
