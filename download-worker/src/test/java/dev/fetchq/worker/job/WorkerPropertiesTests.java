package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class WorkerPropertiesTests {

  @Test
  void defaults() {
    WorkerProperties properties = bind(Map.of());

    assertThat(properties.id()).endsWith("-" + ProcessHandle.current().pid());
    assertThat(properties.concurrency()).isEqualTo(4);
    assertThat(properties.maxSize()).isEqualTo(DataSize.ofGigabytes(1));
    assertThat(properties.progressInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(properties.shutdownTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(properties.publishFailureBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void everySettingCanComeFromTheEnvironment() {
    WorkerProperties properties =
        bind(
            Map.of(
                "FETCHQ_WORKER_ID", "worker-7",
                "FETCHQ_WORKER_CONCURRENCY", "8",
                "FETCHQ_WORKER_MAXSIZE", "5MB",
                "FETCHQ_WORKER_PROGRESSINTERVAL", "10s",
                // The form with underscores for dashes works too.
                "FETCHQ_WORKER_SHUTDOWN_TIMEOUT", "60s",
                "FETCHQ_WORKER_PUBLISH_FAILURE_BACKOFF", "1s"));

    assertThat(properties.id()).isEqualTo("worker-7");
    assertThat(properties.concurrency()).isEqualTo(8);
    assertThat(properties.maxSize()).isEqualTo(DataSize.ofMegabytes(5));
    assertThat(properties.progressInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(properties.shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(properties.publishFailureBackoff()).isEqualTo(Duration.ofSeconds(1));
  }

  private static WorkerProperties bind(Map<String, Object> environment) {
    var source =
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
    return new Binder(ConfigurationPropertySources.from(source))
        .bindOrCreate("fetchq.worker", WorkerProperties.class);
  }
}
