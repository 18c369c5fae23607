package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Both ways of configuring keys bind to the same property. */
class SecurityPropertiesTests {

  private static final String A = "a".repeat(64);
  private static final String B = "B".repeat(64);

  private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void keysBindFromIndexedProperties() {
    var source =
        new MapConfigurationPropertySource(
            Map.of(
                "fetchq.security.api-keys[0].name", "ci",
                "fetchq.security.api-keys[0].role", "client",
                "fetchq.security.api-keys[0].sha256", A,
                "fetchq.security.api-keys[1].name", "ops",
                "fetchq.security.api-keys[1].role", "ADMIN",
                "fetchq.security.api-keys[1].sha256", B));

    assertThat(bind(source).apiKeys())
        .containsExactly(
            new SecurityProperties.ConfiguredKey("ci", Role.CLIENT, A),
            new SecurityProperties.ConfiguredKey("ops", Role.ADMIN, B));
  }

  @Test
  void keysBindFromOneEnvironmentVariable() {
    var environment =
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of("FETCHQ_SECURITY_APIKEYS", "ci:client:" + A + ", ops:admin:" + B));
    var env = new StandardEnvironment();
    env.getPropertySources().replace(environment.getName(), environment);

    SecurityProperties properties =
        Binder.get(env).bindOrCreate("fetchq.security", SecurityProperties.class);

    assertThat(properties.apiKeys())
        .containsExactly(
            new SecurityProperties.ConfiguredKey("ci", Role.CLIENT, A),
            new SecurityProperties.ConfiguredKey("ops", Role.ADMIN, B));
  }

  @Test
  void noKeysBindToAnEmptyList() {
    assertThat(bind(new MapConfigurationPropertySource()).apiKeys()).isEmpty();
  }

  @Test
  void aMalformedShortFormFailsTheStart() {
    var source = new MapConfigurationPropertySource(Map.of("fetchq.security.api-keys", "ci:" + A));

    assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(source));
  }

  @Test
  void namesAndDigestsAreValidated() {
    var badName = new SecurityProperties.ConfiguredKey("-ci", Role.CLIENT, A);
    var badDigest = new SecurityProperties.ConfiguredKey("ci", Role.CLIENT, "abc");

    assertThat(validator.validate(new SecurityProperties(List.of(badName, badDigest))))
        .extracting(v -> v.getPropertyPath().toString())
        .containsExactlyInAnyOrder("apiKeys[0].name", "apiKeys[1].sha256");
  }

  private static SecurityProperties bind(ConfigurationPropertySource source) {
    return new Binder(source).bindOrCreate("fetchq.security", SecurityProperties.class);
  }
}
