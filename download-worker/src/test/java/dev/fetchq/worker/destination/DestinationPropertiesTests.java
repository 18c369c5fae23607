package dev.fetchq.worker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class DestinationPropertiesTests {

  @Test
  void nothingIsAllowedByDefault() {
    assertThat(bindEnvironment(Map.of()).allowedHosts()).isEmpty();
  }

  @Test
  void theEnvironmentVariableTakesACommaSeparatedList() {
    var properties =
        bindEnvironment(Map.of("FETCHQ_WORKER_ALLOWED_HOSTS", "demo-origin,127.0.0.0/8,::1/128"));

    assertThat(properties.allowedHosts()).containsExactly("demo-origin", "127.0.0.0/8", "::1/128");
    assertThat(AllowedHosts.parse(properties.allowedHosts()).entries()).hasSize(3);
  }

  @Test
  void theCanonicalEnvironmentVariableAndThePropertyWorkToo() {
    assertThat(bindEnvironment(Map.of("FETCHQ_WORKER_ALLOWEDHOSTS", "127.0.0.1")).allowedHosts())
        .containsExactly("127.0.0.1");
    var source =
        new MapPropertySource(
            "test", Map.of("fetchq.worker.allowed-hosts", "[::1]:8080, 127.0.0.1:8080"));
    assertThat(bind(source).allowedHosts()).containsExactly("[::1]:8080", "127.0.0.1:8080");
  }

  private static DestinationProperties bindEnvironment(Map<String, Object> environment) {
    return bind(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
  }

  private static DestinationProperties bind(org.springframework.core.env.PropertySource<?> source) {
    return new Binder(ConfigurationPropertySources.from(source))
        .bindOrCreate("fetchq.worker", DestinationProperties.class);
  }
}
