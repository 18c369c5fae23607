package dev.fetchq.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback that tests script path by path: serve a file, answer a status,
 * fail a number of times and then succeed, redirect. It counts the requests each path received.
 *
 * <pre>{@code
 * try (var origin = OriginServer.start()) {
 *   origin.route("/a.bin", Routes.content(Content.random(4096, 1)));
 *   origin.route("/flaky", Routes.failTimes(2, 503, Routes.content(Content.random(10, 2))));
 *   URI url = origin.url("/a.bin");
 * }
 * }</pre>
 */
public final class OriginServer implements AutoCloseable {

  /** Answers one request; {@code requestNumber} is 1 for the first request to this path. */
  @FunctionalInterface
  public interface Route {
    void handle(HttpExchange exchange, int requestNumber) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  private OriginServer(HttpServer server) {
    this.server = server;
  }

  /** Starts an origin on 127.0.0.1 with a free port. */
  public static OriginServer start() {
    try {
      var server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
      var origin = new OriginServer(server);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", origin::dispatch);
      server.start();
      return origin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets what {@code path} answers (replacing an earlier route) and resets its request count. */
  public OriginServer route(String path, Route route) {
    routes.put(path, route);
    counts.put(path, new AtomicInteger());
    return this;
  }

  /** The absolute URL of {@code path} on this origin. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** How many requests {@code path} received since its route was set. */
  public int requests(String path) {
    var count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Route route = routes.get(path);
      if (route == null) {
        Routes.status(404).handle(exchange, 1);
        return;
      }
      route.handle(exchange, counts.get(path).incrementAndGet());
    } catch (IOException e) {
      // the client went away or a route cut the connection on purpose
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
}
