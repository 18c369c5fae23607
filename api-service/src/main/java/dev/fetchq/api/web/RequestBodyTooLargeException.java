package dev.fetchq.api.web;

import java.io.IOException;
import org.springframework.util.unit.DataSize;

/** A request body is larger than {@code fetchq.web.max-request-body}. */
class RequestBodyTooLargeException extends IOException {

  private final DataSize limit;

  RequestBodyTooLargeException(DataSize limit) {
    super("Request body larger than " + limit);
    this.limit = limit;
  }

  DataSize limit() {
    return limit;
  }
}
