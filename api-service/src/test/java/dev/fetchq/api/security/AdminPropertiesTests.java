package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

class AdminPropertiesTests {

  private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void aBlankTokenMeansNoTokenAndDisablesTheAdminApi() {
    assertThat(new AdminProperties("").enabled()).isFalse();
    assertThat(new AdminProperties("   ").enabled()).isFalse();
    assertThat(new AdminProperties(null).enabled()).isFalse();
    assertThat(validator.validate(new AdminProperties(""))).isEmpty();
  }

  @Test
  void aShortTokenIsRejectedAtStartup() {
    assertThat(validator.validate(new AdminProperties("short")))
        .singleElement()
        .satisfies(v -> assertThat(v.getMessage()).contains("at least 16 characters"));
    assertThat(validator.validate(new AdminProperties("0123456789abcdef"))).isEmpty();
  }
}
