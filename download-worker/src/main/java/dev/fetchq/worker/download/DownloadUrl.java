package dev.fetchq.worker.download;

import dev.fetchq.model.FailureReason;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks that a job's URL is something the worker can fetch at all: absolute http(s) with a host.
 */
final class DownloadUrl {

  private DownloadUrl() {}

  static URI parse(String url) throws DownloadRejectedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("malformed URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("unsupported URL scheme '" + scheme + "': only http and https are fetched");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid("URL has no host");
    }
    return uri;
  }

  private static DownloadRejectedException invalid(String message) {
    return new DownloadRejectedException(FailureReason.INVALID_URL, message);
  }
}
