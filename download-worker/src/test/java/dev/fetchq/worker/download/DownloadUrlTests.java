package dev.fetchq.worker.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fetchq.model.FailureReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DownloadUrlTests {

  @ParameterizedTest
  @ValueSource(
      strings = {"http://example.org/a.bin", "HTTPS://example.org:8443/a?b=c", "http://[::1]:80/"})
  void absoluteHttpUrlsWithAHostAreFetched(String url) throws DownloadRejectedException {
    assertThat(DownloadUrl.parse(url).toString()).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "/relative/path",
        "example.org/a.bin",
        "http:///no-host",
        "http://exa mple.org/",
        ""
      })
  void anythingElseIsAnInvalidUrl(String url) {
    assertThatThrownBy(() -> DownloadUrl.parse(url))
        .isInstanceOfSatisfying(
            DownloadRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_URL));
  }

  @Test
  void theMessageNamesAnUnsupportedScheme() {
    assertThatThrownBy(() -> DownloadUrl.parse("ftp://127.0.0.1/x"))
        .hasMessage("unsupported URL scheme 'ftp': only http and https are fetched");
  }
}
