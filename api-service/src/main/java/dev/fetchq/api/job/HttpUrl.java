package dev.fetchq.api.job;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * An absolute, well-formed (RFC 3986) {@code http} or {@code https} URL with a host. Host names
 * must be ASCII: international names in their punycode form. {@code null} is valid (combine with
 * {@code @NotBlank}); so is a value over {@link #MAX_LENGTH}, which {@code @Size} reports.
 */
@Documented
@Constraint(validatedBy = HttpUrl.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@interface HttpUrl {

  int MAX_LENGTH = 2048;

  String message() default "must be an absolute http or https URL with a host";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<HttpUrl, String> {

    private static final Set<String> SCHEMES = Set.of("http", "https");

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
        return true;
      }
      try {
        URI uri = new URI(value);
        return uri.getScheme() != null
            && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
            && uri.getHost() != null
            && !uri.getHost().isEmpty();
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }
}
