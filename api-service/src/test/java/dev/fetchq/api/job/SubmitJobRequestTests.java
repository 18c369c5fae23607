package dev.fetchq.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubmitJobRequestTests {

  private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
  private static final Validator VALIDATOR = FACTORY.getValidator();

  @AfterAll
  static void close() {
    FACTORY.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.org",
        "https://example.org/a/b.bin?x=1&y=%20#frag",
        "HTTPS://EXAMPLE.ORG/",
        "http://127.0.0.1:8080/file",
        "http://[::1]/file",
        "http://xn--bcher-kva.example/"
      })
  void acceptsAbsoluteHttpUrlsWithAHost(String url) {
    assertThat(invalidFields(new SubmitJobRequest(url, null, null))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.org/file",
        "/relative/path",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "http:///no-host",
        "http://exa mple.org/",
        "http://example.org/<script>",
        "mailto:someone@example.org",
        "javascript:alert(1)"
      })
  void rejectsAnythingElse(String url) {
    assertThat(invalidFields(new SubmitJobRequest(url, null, null))).containsExactly("url");
  }

  @Test
  void requiresAUrlOfAtMost2048Characters() {
    assertThat(invalidFields(new SubmitJobRequest(null, null, null))).containsExactly("url");
    assertThat(invalidFields(new SubmitJobRequest(" ", null, null))).containsExactly("url");
    String longUrl = "https://example.org/" + "a".repeat(2048);
    assertThat(invalidFields(new SubmitJobRequest(longUrl, null, null))).containsExactly("url");
  }

  @Test
  void aChecksumIs64HexDigitsInAnyCase() {
    String url = "https://example.org/";
    assertThat(invalidFields(new SubmitJobRequest(url, "aB".repeat(32), null))).isEmpty();
    assertThat(invalidFields(new SubmitJobRequest(url, "ab".repeat(31), null)))
        .containsExactly("sha256");
    assertThat(invalidFields(new SubmitJobRequest(url, "zz".repeat(32), null)))
        .containsExactly("sha256");
  }

  @Test
  void aFilenameHasAtMost255CharactersAndNoControlCharacters() {
    String url = "https://example.org/";
    assertThat(invalidFields(new SubmitJobRequest(url, null, "report 2026.pdf"))).isEmpty();
    assertThat(invalidFields(new SubmitJobRequest(url, null, "a".repeat(256))))
        .containsExactly("filename");
    assertThat(invalidFields(new SubmitJobRequest(url, null, "a\nb"))).containsExactly("filename");
    assertThat(invalidFields(new SubmitJobRequest(url, null, "a\u0085b")))
        .containsExactly("filename");
  }

  private static Set<String> invalidFields(SubmitJobRequest request) {
    Set<ConstraintViolation<SubmitJobRequest>> violations = VALIDATOR.validate(request);
    return violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet());
  }
}
