package dev.fetchq.testsupport;

import dev.fetchq.testsupport.OriginServer.Route;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
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
    return times(times, status(status), then);
  }

  /**
   * Answers as {@code first} for the first {@code times} requests, then as {@code then} (which sees
   * request numbers starting again at 1).
   */
  public static Route times(int times, Route first, Route then) {
    return (exchange, n) -> {
      if (n <= times) {
        first.handle(exchange, n);
      } else {
        then.handle(exchange, n - times);
      }
    };
  }

  /**
   * Answers {@code status} with {@code Retry-After: seconds} once, then as {@code then}: a 503 or
   * 429 that tells the client when to come back.
   */
  public static Route retryAfter(int status, long seconds, Route then) {
    return retryAfter(1, status, Long.toString(seconds), then);
  }

  /**
   * Answers {@code status} with the header {@code Retry-After: retryAfter} (delta-seconds or an
   * HTTP date) for the first {@code times} requests, then as {@code then}.
   */
  public static Route retryAfter(int times, int status, String retryAfter, Route then) {
    Route failure =
        (exchange, n) -> {
          exchange.getResponseHeaders().set("Retry-After", retryAfter);
          status(status).handle(exchange, n);
        };
    return times(times, failure, then);
  }

  /**
   * 200 with {@code content} and its Content-Length, written at about {@code bytesPerSecond}: a
   * slice every 100 ms, each flushed. It stops as soon as a write fails because the client went
   * away (recorded as {@link OriginServer.Request#brokenOff()}).
   */
  public static Route slow(Content content, long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be at least 1");
    }
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, content.size() == 0 ? -1 : content.size());
      try (OutputStream out = new Throttled(exchange.getResponseBody(), bytesPerSecond)) {
        content.writeTo(out, 0);
      }
    };
  }

  /**
   * Announces all of {@code content} in its Content-Length, sends the first {@code afterBytes}
   * bytes and then closes the connection without the rest: the client sees the body end early (a
   * connection failure, not an HTTP error).
   */
  public static Route resetMidBody(Content content, long afterBytes) {
    if (afterBytes < 0 || afterBytes >= content.size()) {
      throw new IllegalArgumentException("afterBytes must be within the content");
    }
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, content.size());
      OutputStream body = exchange.getResponseBody();
      try {
        content.writeTo(new Truncating(body, afterBytes), 0);
      } catch (Truncating.Cut e) {
        body.flush();
        // Closing the exchange with bytes still owed makes the server close the connection.
        throw e;
      }
    };
  }

  /**
   * Redirects back and forth between this path and itself with {@code ?loop} (a → b → a), so a
   * client that follows redirects without detecting circles never gets an answer. The route counts
   * both hops as requests.
   */
  public static Route redirectLoop() {
    return (exchange, n) -> {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      String location = query == null ? path + "?loop" : path;
      redirect(302, location).handle(exchange, n);
    };
  }

  /** A redirect with the given 3xx status to {@code location}. */
  public static Route redirect(int status, String location) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Location", location);
      OriginServer.sendEmpty(exchange, status);
    };
  }

  /** Writes through in slices of a tenth of the rate, one slice per 100 ms, each flushed. */
  private static final class Throttled extends FilterOutputStream {
    private final int slice;

    Throttled(OutputStream out, long bytesPerSecond) {
      super(out);
      this.slice = (int) Math.clamp(bytesPerSecond / 10, 1, 1 << 20);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      for (int done = 0; done < length; done += slice) {
        out.write(bytes, offset + done, Math.min(slice, length - done));
        out.flush();
        pause();
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    private static void pause() throws InterruptedIOException {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("origin stopping");
      }
    }
  }

  /** Passes the first {@code limit} bytes through, then throws {@link Cut}. */
  private static final class Truncating extends FilterOutputStream {
    private long remaining;

    Truncating(OutputStream out, long limit) {
      super(out);
      this.remaining = limit;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int n = (int) Math.min(length, remaining);
      out.write(bytes, offset, n);
      remaining -= n;
      if (n < length) {
        throw new Cut();
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    static final class Cut extends IOException {
      Cut() {
        super("body cut off on purpose");
      }
    }
  }
}
