package dev.fetchq.api.job;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Locale;

/**
 * The body of {@code POST /jobs}.
 *
 * @param url the absolute http(s) URL to download
 * @param sha256 the SHA-256 the file must have (64 hex digits, any case); optional
 * @param filename the name to offer when the file is downloaded; optional
 */
record SubmitJobRequest(
    @NotBlank @Size(max = HttpUrl.MAX_LENGTH) @HttpUrl String url,
    @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hexadecimal digits") String sha256,
    @Size(max = 255)
        @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters")
        String filename) {

  /** The same request as it is stored: the checksum in lower case. */
  SubmitJobRequest canonical() {
    return new SubmitJobRequest(
        url, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), filename);
  }
}
