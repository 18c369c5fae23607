package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

class DownloadPropertiesTests {

  @Test
  void defaults() {
    var properties = bind(Map.of());

    assertThat(properties.maxDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(properties.minSpeed()).isEqualTo(DataSize.ofKilobytes(1));
    assertThat(properties.minSpeedWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(properties.maxRedirects()).isEqualTo(5);
  }

  @Test
  void theLimitsComeFromTheEnvironment() {
    var properties =
        bind(
            Map.of(
                "FETCHQ_DOWNLOAD_MAX_DURATION", "90m",
                "FETCHQ_DOWNLOAD_MINSPEED", "10KB",
                "FETCHQ_DOWNLOAD_MIN_SPEED_WINDOW", "1m"));

    assertThat(properties.maxDuration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(properties.minSpeed()).isEqualTo(DataSize.ofKilobytes(10));
    assertThat(properties.minSpeedWindow()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void anAttemptMayNotOutlastTheBrokersConsumerTimeout() {
    assertThatThrownBy(() -> bind(Map.of("FETCHQ_DOWNLOAD_MAXDURATION", "2h")))
        .hasStackTraceContaining("maxDuration");
    assertThat(bind(Map.of("FETCHQ_DOWNLOAD_MAXDURATION", "119m")).maxDuration())
        .isEqualTo(Duration.ofMinutes(119));
  }

  private static DownloadProperties bind(Map<String, Object> environment) {
    var source =
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
    var validator =
        new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator());
    return new Binder(ConfigurationPropertySources.from(source))
        .bindOrCreate(
            "fetchq.download",
            Bindable.of(DownloadProperties.class),
            new ValidationBindHandler(validator));
  }
}
