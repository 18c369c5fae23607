package dev.fetchq.testsupport;

import com.sun.net.httpserver.HttpExchange;
import dev.fetchq.testsupport.OriginServer.Route;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

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

  /**
   * {@code content} with byte ranges, as a file server serves it: a {@code Range: bytes=N-} (or
   * {@code bytes=N-M}) request gets {@code 206 Partial Content} with its {@code Content-Range}, one
   * starting beyond the end gets {@code 416}. An {@code If-Range} that does not match the current
   * validator (strong comparison for entity tags, exact for dates) gets the whole file with {@code
   * 200}, as RFC 9110 §13.1.5 asks. Every answer carries {@code Accept-Ranges: bytes} and the
   * validators. Adjust it with {@link RangeRoute#lastModified}, {@link RangeRoute#cutAfter}, {@link
   * RangeRoute#cutFirstAfter} and {@link RangeRoute#throttled}.
   *
   * @param etag the entity tag, quoted or not ({@code W/"x"} for a weak one), or {@code null} for
   *     none
   */
  public static RangeRoute rangeable(Content content, String etag) {
    return new RangeRoute(content, etag, null, -1, false, 0);
  }

  /** A redirect with the given 3xx status to {@code location}. */
  public static Route redirect(int status, String location) {
    return (exchange, n) -> {
      exchange.getResponseHeaders().set("Location", location);
      OriginServer.sendEmpty(exchange, status);
    };
  }

  /** See {@link #rangeable}. Immutable: each adjustment returns a new route. */
  public static final class RangeRoute implements Route {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})?");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Content content;
    private final String etag;
    private final String lastModified;
    private final long cutAfter;
    private final boolean firstOnly;
    private final long bytesPerSecond;

    private RangeRoute(
        Content content,
        String etag,
        String lastModified,
        long cutAfter,
        boolean firstOnly,
        long bytesPerSecond) {
      this.content = content;
      this.etag =
          etag == null || etag.startsWith("\"") || etag.startsWith("W/")
              ? etag
              : "\"" + etag + "\"";
      this.lastModified = lastModified;
      this.cutAfter = cutAfter;
      this.firstOnly = firstOnly;
      this.bytesPerSecond = bytesPerSecond;
    }

    /** Also sends {@code Last-Modified: at} (whole seconds), and honours it in {@code If-Range}. */
    public RangeRoute lastModified(Instant at) {
      return new RangeRoute(
          content,
          etag,
          HTTP_DATE.format(at.atOffset(ZoneOffset.UTC)),
          cutAfter,
          firstOnly,
          bytesPerSecond);
    }

    /**
     * Every answer sends at most {@code bytes} body bytes of what it announced and then closes the
     * connection: the client sees the body end early.
     */
    public RangeRoute cutAfter(long bytes) {
      return new RangeRoute(content, etag, lastModified, bytes, false, bytesPerSecond);
    }

    /** Like {@link #cutAfter}, for the first request to the path only. */
    public RangeRoute cutFirstAfter(long bytes) {
      return new RangeRoute(content, etag, lastModified, bytes, true, bytesPerSecond);
    }

    /** Writes bodies at about {@code bytesPerSecond}, as {@link Routes#slow} does. */
    public RangeRoute throttled(long bytesPerSecond) {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bytesPerSecond must be at least 1");
      }
      return new RangeRoute(content, etag, lastModified, cutAfter, firstOnly, bytesPerSecond);
    }

    @Override
    public void handle(HttpExchange exchange, int requestNumber) throws IOException {
      var headers = exchange.getResponseHeaders();
      headers.set("Content-Type", "application/octet-stream");
      headers.set("Accept-Ranges", "bytes");
      if (etag != null) {
        headers.set("ETag", etag);
      }
      if (lastModified != null) {
        headers.set("Last-Modified", lastModified);
      }
      long size = content.size();
      long start = 0;
      long end = size - 1;
      var range = RANGE.matcher(header(exchange, "Range"));
      String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
      if (range.matches() && (ifRange == null || validatorMatches(ifRange))) {
        start = Long.parseLong(range.group(1));
        if (start >= size) {
          headers.set("Content-Range", "bytes */" + size);
          OriginServer.sendEmpty(exchange, 416);
          return;
        }
        if (range.group(2) != null) {
          end = Math.min(end, Long.parseLong(range.group(2)));
        }
        headers.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        exchange.sendResponseHeaders(206, end - start + 1);
      } else {
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      }
      OutputStream body = exchange.getResponseBody();
      OutputStream out = new Limited(body, end - start + 1);
      boolean cut = cutAfter >= 0 && (!firstOnly || requestNumber == 1);
      if (cut) {
        out = new Truncating(out, cutAfter);
      }
      if (bytesPerSecond > 0) {
        out = new Throttled(out, bytesPerSecond);
      }
      try {
        content.writeTo(out, start);
      } catch (Limited.Done e) {
        // the range ended before the content
      } catch (Truncating.Cut e) {
        body.flush();
        throw e;
      }
      body.close();
    }

    private boolean validatorMatches(String ifRange) {
      String value = ifRange.strip();
      if (value.startsWith("W/") || value.startsWith("\"")) {
        return etag != null && !etag.startsWith("W/") && value.equals(etag);
      }
      return value.equals(lastModified);
    }

    private static String header(HttpExchange exchange, String name) {
      String value = exchange.getRequestHeaders().getFirst(name);
      return value == null ? "" : value.strip();
    }
  }

  /** Passes the first {@code limit} bytes through, then throws {@link Done}. */
  private static final class Limited extends FilterOutputStream {
    private long remaining;

    Limited(OutputStream out, long limit) {
      super(out);
      this.remaining = limit;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int n = (int) Math.min(length, remaining);
      out.write(bytes, offset, n);
      remaining -= n;
      if (remaining == 0) {
        throw new Done();
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void close() {
      // the route closes the real stream itself
    }

    static final class Done extends IOException {
      Done() {
        super("range complete");
      }
    }
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
