package dev.fetchq.worker.download;

import java.io.IOException;

/** The origin answered with a status other than 2xx (after following redirects). */
final class HttpStatusException extends IOException {

  private final int status;
  private final String retryAfter;

  /**
   * @param retryAfter the response's {@code Retry-After} header as sent, or {@code null}
   */
  HttpStatusException(int status, String reasonPhrase, String retryAfter) {
    super(
        "HTTP "
            + status
            + (reasonPhrase == null || reasonPhrase.isBlank() ? "" : " " + reasonPhrase));
    this.status = status;
    this.retryAfter = retryAfter;
  }

  HttpStatusException(int status, String reasonPhrase) {
    this(status, reasonPhrase, null);
  }

  int status() {
    return status;
  }

  /** The {@code Retry-After} header as the origin sent it, or {@code null}. */
  String retryAfter() {
    return retryAfter;
  }
}
