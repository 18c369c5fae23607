package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class RetryPropertiesTests {

  @Test
  void defaults() {
    RetryProperties properties = bind(Map.of());

    assertThat(properties.tiers())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10));
    assertThat(properties.maxAttempts()).isEqualTo(5);
    assertThat(properties.jitter()).isEqualTo(0.1);
    assertThat(properties.maxRetryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void everySettingCanComeFromTheEnvironment() {
    RetryProperties properties =
        bind(
            Map.of(
                "FETCHQ_RETRY_TIERS", "2s,1m,1h",
                "FETCHQ_RETRY_MAXATTEMPTS", "8",
                "FETCHQ_RETRY_JITTER", "0.25",
                "FETCHQ_RETRY_MAX_RETRY_AFTER", "30m"));

    assertThat(properties.tiers())
        .containsExactly(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofHours(1));
    assertThat(properties.maxAttempts()).isEqualTo(8);
    assertThat(properties.jitter()).isEqualTo(0.25);
    assertThat(properties.maxRetryAfter()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void tiersAreWholeSecondsOfAtLeastOneSecond() {
    assertThatThrownBy(() -> properties(Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds of at least 1s: PT1.5S");
    assertThatThrownBy(() -> properties(Duration.ofMillis(500)))
        .hasMessageContaining("whole seconds of at least 1s: PT0.5S");
  }

  @Test
  void tiersAreAscending() {
    assertThatThrownBy(() -> properties(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .hasMessageContaining("ascending: PT5S then PT5S");
  }

  private static RetryProperties properties(Duration... tiers) {
    return new RetryProperties(List.of(tiers), 5, 0.1, Duration.ofMinutes(10));
  }

  private static RetryProperties bind(Map<String, Object> environment) {
    var source =
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
    return new Binder(ConfigurationPropertySources.from(source))
        .bindOrCreate("fetchq.retry", RetryProperties.class);
  }
}
