package dev.fetchq.testsupport;

import dev.fetchq.testsupport.OriginServer.Route;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Ready-made {@link Route}s for {@link OriginServer}. */
public final class Routes {

  private Routes() {}

  /** 200 with {@code content} as {@code application/octet-stream} and a Content-Length. */
  public static Route content(Content content) {
    return content(content, "application/octet-stream");
  }

  /** 200 with {@code content}, the given content type and a Content-Length. */
  public static Route content(Content content, String contentType) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, content.size() == 0 ? -1 : content.size());
      try (OutputStream out = exchange.getResponseBody()) {
        content.writeTo(out, 0);
      }
    };
  }

  /** 200 with {@code content} sent chunked, without a Content-Length. */
  public static Route chunked(Content content) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        content.writeTo(out, 0);
      }
    };
  }

  /** Answers {@code status} with a short text body. */
  public static Route status(int status) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      OriginServer.sendFixed(
          exchange, status, ("status " + status + "\n").getBytes(StandardCharsets.UTF_8));
    };
  }

  /** Answers {@code status} for the first {@code times} requests, then as {@code then}. */
  public static Route failTimes(int times, int status, Route then) {
    Route failure = status(status);
    return (exchange, n) -> (n <= times ? failure : then).handle(exchange, n - times);
  }

  /** A redirect with the given 3xx status to {@code location}. */
  public static Route redirect(int status, String location) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Location", location);
      OriginServer.sendEmpty(exchange, status);
    };
  }
}
