package dev.fetchq.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP origin on loopback that tests script path by path: serve a file (with byte ranges),
 * answer a status, fail a number of times and then succeed, redirect, stream slowly, cut a body
 * off. It records the requests each path received: how many, when each arrived, their headers, how
 * many body bytes were sent and when (and how) the answer ended.
 *
 * <pre>{@code
 * try (var origin = OriginServer.start()) {
 *   origin.route("/a.bin", Routes.content(Content.random(4096, 1)));
 *   origin.route("/flaky", Routes.failTimes(2, 503, Routes.content(Content.random(10, 2))));
 *   URI url = origin.url("/a.bin");
 *   // ...
 *   List<Instant> arrivals = origin.requestTimes("/flaky");
 * }
 * }</pre>
 *
 * <p>Times come from a monotonic clock (anchored once to the wall clock), so the spacing between
 * two of them is exact even if the system clock is adjusted meanwhile.
 */
public final class OriginServer implements AutoCloseable {

  /** Answers one request; {@code requestNumber} is 1 for the first request to this path. */
  @FunctionalInterface
  public interface Route {
    void handle(HttpExchange exchange, int requestNumber) throws IOException;
  }

  /**
   * One request a path received.
   *
   * @param arrivedAt when the request reached the origin
   * @param endedAt when the route finished answering, or {@code null} while it still is
   * @param brokenOff whether the answer ended with an I/O error: the client went away, or the route
   *     cut the connection on purpose (e.g. {@link Routes#resetMidBody})
   * @param headers the request's headers, names in lower case
   * @param bodyBytes how many response body bytes the route wrote (so far, while it still answers)
   */
  public record Request(
      Instant arrivedAt,
      Instant endedAt,
      boolean brokenOff,
      Map<String, List<String>> headers,
      long bodyBytes) {

    public Request {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Request(Instant arrivedAt, Instant endedAt, boolean brokenOff) {
      this(arrivedAt, endedAt, brokenOff, Map.of(), 0);
    }

    /** The first value of request header {@code name} (any case), or {@code null}. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  private final HttpServer server;
  private final String host;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, List<RequestRecord>> requests = new ConcurrentHashMap<>();
  private final Instant epoch = Instant.now();
  private final long epochNanos = System.nanoTime();

  private OriginServer(HttpServer server, InetAddress address) {
    this.server = server;
    this.host =
        address instanceof Inet6Address
            ? "[" + address.getHostAddress() + "]"
            : address.getHostAddress();
  }

  /** Starts an origin on 127.0.0.1 with a free port. */
  public static OriginServer start() {
    return start(InetAddress.getLoopbackAddress());
  }

  /**
   * Starts an origin on {@code address} (a loopback address: {@code 127.0.0.1} or {@code ::1}) with
   * a free port; its {@link #url}s name that address.
   */
  public static OriginServer start(InetAddress address) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("test origins listen on loopback only: " + address);
    }
    try {
      var server = HttpServer.create(new InetSocketAddress(address, 0), 512);
      var origin = new OriginServer(server, address);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", origin::dispatch);
      server.start();
      return origin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets what {@code path} answers (replacing an earlier route) and resets what was recorded of its
   * requests.
   */
  public OriginServer route(String path, Route route) {
    routes.put(path, route);
    requests.put(path, new CopyOnWriteArrayList<>());
    return this;
  }

  /** The absolute URL of {@code path} on this origin. */
  public URI url(String path) {
    return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** How many requests {@code path} received since its route was set. */
  public int requests(String path) {
    var list = requests.get(path);
    return list == null ? 0 : list.size();
  }

  /** When each request to {@code path} arrived since its route was set, oldest first. */
  public List<Instant> requestTimes(String path) {
    return history(path).stream().map(Request::arrivedAt).toList();
  }

  /** Every request to {@code path} since its route was set, oldest first. */
  public List<Request> history(String path) {
    var list = requests.get(path);
    return list == null ? List.of() : list.stream().map(RequestRecord::snapshot).toList();
  }

  /** The origin's current time, on the same clock as {@link #history}. */
  public Instant now() {
    return epoch.plusNanos(System.nanoTime() - epochNanos);
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Route route = routes.get(path);
    if (route == null) {
      try (exchange) {
        Routes.status(404).handle(exchange, 1);
      } catch (IOException e) {
        // the client went away
      }
      return;
    }
    var record = new RequestRecord(now(), headers(exchange));
    // Counts what the route writes. The placeholder stream must be taken before the route sends
    // its headers, and the request body first (HttpExchange.setStreams asserts it exists).
    exchange.getRequestBody();
    var counting = new CountingOutputStream(exchange.getResponseBody(), record);
    exchange.setStreams(null, counting);
    int number;
    List<RequestRecord> list = requests.get(path);
    synchronized (list) {
      list.add(record);
      number = list.size();
    }
    boolean brokenOff = false;
    try (exchange) {
      route.handle(exchange, number);
    } catch (IOException e) {
      // the client went away or a route cut the connection on purpose
      brokenOff = true;
    } finally {
      record.end(now(), brokenOff);
    }
  }

  static void sendEmpty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
  }

  static void sendFixed(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private static Map<String, List<String>> headers(HttpExchange exchange) {
    var headers = new LinkedHashMap<String, List<String>>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    return headers;
  }

  private static final class RequestRecord {
    private final Instant arrivedAt;
    private final Map<String, List<String>> headers;
    private volatile long bodyBytes;
    private volatile Request ended;

    RequestRecord(Instant arrivedAt, Map<String, List<String>> headers) {
      this.arrivedAt = arrivedAt;
      this.headers = headers;
    }

    void wrote(int bytes) {
      bodyBytes += bytes;
    }

    void end(Instant at, boolean brokenOff) {
      ended = new Request(arrivedAt, at, brokenOff, headers, bodyBytes);
    }

    Request snapshot() {
      Request done = ended;
      return done != null ? done : new Request(arrivedAt, null, false, headers, bodyBytes);
    }
  }

  /** Passes everything through, counting the bytes into the request's record. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private final RequestRecord record;

    CountingOutputStream(OutputStream out, RequestRecord record) {
      super(out);
      this.record = record;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      record.wrote(length);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      record.wrote(1);
    }
  }
}
