package dev.fetchq.worker.download;

import java.io.IOException;

/** The origin answered with a status other than 2xx (after following redirects). */
final class HttpStatusException extends IOException {

  private final int status;

  HttpStatusException(int status, String reasonPhrase) {
    super(
        "HTTP "
            + status
            + (reasonPhrase == null || reasonPhrase.isBlank() ? "" : " " + reasonPhrase));
    this.status = status;
  }

  int status() {
    return status;
  }
}
