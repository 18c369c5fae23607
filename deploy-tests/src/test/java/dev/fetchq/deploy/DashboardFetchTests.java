package dev.fetchq.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * import-dashboard.py's download path ({@code --url}, {@code --grafana-com-id}, {@code
 * --optional}), the way compose's grafana-dashboards and the Kubernetes instructions run it,
 * against an HTTP server this test starts.
 *
 * <p>Network safety: every request goes to 127.0.0.1. grafana.com is replaced with {@code
 * --grafana-com-api} pointing at the loopback server, {@link #script} refuses any other URL, and
 * the proxy variables are cleared so that no proxy carries a request elsewhere.
 */
class DashboardFetchTests {

  private static final InetAddress LOOPBACK = loopback();

  /** No proxy for the script: urllib would otherwise send even 127.0.0.1 through one. */
  private static final Map<String, String> NO_PROXY =
      Map.of(
          "http_proxy", "",
          "HTTP_PROXY", "",
          "https_proxy", "",
          "HTTPS_PROXY", "",
          "all_proxy", "",
          "ALL_PROXY", "",
          "no_proxy", "*",
          "NO_PROXY", "*");

  @Test
  void aDashboardFetchedByUrlIsWrittenProvisionableAndAtomically(@TempDir Path dir)
      throws IOException {
    try (var server = new LoopbackServer()) {
      server.serve("/dashboards/shared.json", 200, "application/json", export());
      var output = dir.resolve("example.json");

      var result =
          script(
              "--url",
              server.url("/dashboards/shared.json"),
              "--uid",
              "example",
              "--output",
              output.toString());

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stdout()).isEmpty();
      assertThat(result.stderr()).contains("example.json");
      assertThat(server.requests()).containsExactly("GET /dashboards/shared.json");
      assertThat(server.userAgents()).allSatisfy(a -> assertThat(a).startsWith("fetchq-"));
      assertProvisionable(Dashboards.read(output), "example");
      // Written through a temporary file that was renamed: nothing else is left beside it, and
      // Grafana (another user than the one that fetched it) can read it.
      try (var files = Files.list(dir)) {
        assertThat(files).containsExactly(output);
      }
      assertThat(Files.getPosixFilePermissions(output))
          .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OTHERS_READ);
    }
  }

  @Test
  void aGrafanaComIdDownloadsTheLatestRevisionUnlessOneIsGiven() throws IOException {
    try (var server = new LoopbackServer()) {
      server.serve(
          "/api/dashboards/10991/revisions/latest/download", 200, "application/json", export());
      server.serve(
          "/api/dashboards/4701/revisions/7/download",
          200,
          "application/json; charset=utf-8",
          Repository.read(DashboardImportTests.LEGACY_EXPORT.toAbsolutePath()));
      var api = server.url("/api");

      var latest =
          script(
                  "--grafana-com-id",
                  "10991",
                  "--grafana-com-api",
                  api,
                  "--uid",
                  "rabbitmq-overview")
              .requireSuccess();
      var pinned =
          script(
                  "--grafana-com-id",
                  "4701",
                  "--revision",
                  "7",
                  "--grafana-com-api",
                  api,
                  "--uid",
                  "jvm-micrometer")
              .requireSuccess();

      assertThat(server.requests())
          .containsExactly(
              "GET /api/dashboards/10991/revisions/latest/download",
              "GET /api/dashboards/4701/revisions/7/download");
      assertProvisionable(Dashboards.read(latest.stdout()), "rabbitmq-overview");
      // Panels in legacy rows too (JVM (Micrometer) is such a dashboard).
      var legacy = Dashboards.read(pinned.stdout());
      assertProvisionable(legacy, "jvm-micrometer");
      assertThat(Dashboards.panels(legacy)).hasSize(2);
    }
  }

  @Test
  void anHttpErrorFailsClearlyAndOptionalMakesItAWarning(@TempDir Path dir) throws IOException {
    try (var server = new LoopbackServer()) {
      server.serve("/gone.json", 404, "application/json", "{\"message\":\"Dashboard not found\"}");
      server.serve("/busy.json", 503, "text/plain", "try later");
      var output = dir.resolve("x.json");

      for (var path : List.of("/gone.json", "/busy.json")) {
        var failed = script("--url", server.url(path), "--uid", "x", "--output", output.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr())
            .contains("error", server.url(path))
            .containsPattern("HTTP (404|503)");

        var skipped =
            script(
                "--url",
                server.url(path),
                "--uid",
                "x",
                "--output",
                output.toString(),
                "--optional");
        assertThat(skipped.exitCode()).isZero();
        assertThat(skipped.stderr()).contains("warning", "nothing written");
      }
      assertThat(dir).isEmptyDirectory();
    }
  }

  @Test
  void aBodyThatIsNotADashboardFailsClearly(@TempDir Path dir) throws IOException {
    try (var server = new LoopbackServer()) {
      // What a captive portal or a proxy's error page answers with 200.
      server.serve("/portal", 200, "text/html", "<!DOCTYPE html><html>Sign in to the Wi-Fi</html>");
      server.serve("/truncated.json", 200, "application/json", export().substring(0, 200));
      server.serve("/other.json", 200, "application/json", "{\"items\": [], \"total\": 0}");
      var expected =
          Map.of(
              "/portal", "not JSON (text/html",
              "/truncated.json", "not JSON",
              "/other.json", "not a Grafana dashboard");
      var output = dir.resolve("x.json").toString();

      expected.forEach(
          (path, message) -> {
            var failed = script("--url", server.url(path), "--uid", "x", "--output", output);
            assertThat(failed.exitCode()).as(path).isEqualTo(1);
            assertThat(failed.stderr()).as(path).contains(message);
            var skipped =
                script("--url", server.url(path), "--uid", "x", "--output", output, "--optional");
            assertThat(skipped.exitCode()).as(path).isZero();
            assertThat(skipped.stderr()).as(path).contains("warning", message);
          });
      assertThat(dir).isEmptyDirectory();
    }
  }

  @Test
  void aDashboardItCannotMapIsRefusedAndOptionalOnlyWarns(@TempDir Path dir) throws IOException {
    try (var server = new LoopbackServer()) {
      server.serve(
          "/loki.json",
          200,
          "application/json",
          """
          {"title": "x", "panels": [{"id": 1, "type": "logs", "title": "app logs",
            "datasource": {"type": "loki", "uid": "${DS_LOKI}"}, "targets": [{"expr": "{}"}]}]}
          """);
      var output = dir.resolve("x.json").toString();

      var failed = script("--url", server.url("/loki.json"), "--uid", "x", "--output", output);
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.stderr()).contains("cannot make provisionable", "app logs", "loki");
      var skipped =
          script("--url", server.url("/loki.json"), "--uid", "x", "--output", output, "--optional");
      assertThat(skipped.exitCode()).isZero();
      assertThat(skipped.stderr()).contains("warning", "loki");
      assertThat(dir).isEmptyDirectory();
    }
  }

  /** The offline laptop: nothing listens (connection refused). */
  @Test
  void optionalAgainstAClosedPortWarnsExitsZeroAndWritesNothing(@TempDir Path dir)
      throws IOException {
    var url =
        "http://127.0.0.1:" + closedPort() + "/api/dashboards/10991/revisions/latest/download";
    var output = dir.resolve("rabbitmq-overview.json").toString();

    var skipped =
        script("--url", url, "--uid", "rabbitmq-overview", "--output", output, "--optional");
    assertThat(skipped.exitCode()).as(skipped.stderr()).isZero();
    assertThat(skipped.stdout()).isEmpty();
    assertThat(skipped.stderr()).contains("warning", url, "nothing written");
    assertThat(dir).isEmptyDirectory();

    var failed = script("--url", url, "--uid", "rabbitmq-overview", "--output", output);
    assertThat(failed.exitCode()).isNotZero();
    assertThat(failed.stderr()).contains("error", url);
    assertThat(dir).isEmptyDirectory();

    // Without --output (the Kubernetes instructions' form) nothing reaches stdout either.
    var toStdout = script("--url", url, "--uid", "rabbitmq-overview", "--optional");
    assertThat(toStdout.exitCode()).isZero();
    assertThat(toStdout.stdout()).isEmpty();
  }

  /** A restart without network keeps the dashboard an earlier start fetched (the named volume). */
  @Test
  void optionalKeepsTheDashboardAnEarlierRunFetched(@TempDir Path dir) throws IOException {
    var output = dir.resolve("jvm-micrometer.json");
    Files.writeString(output, "{\"title\": \"fetched yesterday\"}");
    var url = "http://127.0.0.1:" + closedPort() + "/jvm.json";

    var skipped =
        script(
            "--url", url, "--uid", "jvm-micrometer", "--output", output.toString(), "--optional");

    assertThat(skipped.exitCode()).isZero();
    assertThat(skipped.stderr()).contains("warning", "left as it was");
    assertThat(Files.readString(output)).isEqualTo("{\"title\": \"fetched yesterday\"}");
  }

  /** A network that drops packets: the connection is accepted but no answer ever comes. */
  @Test
  void aServerThatNeverAnswersTimesOut(@TempDir Path dir) throws IOException {
    try (var silent = new ServerSocket(0, 5, LOOPBACK)) {
      var url = "http://127.0.0.1:" + silent.getLocalPort() + "/slow.json";
      var output = dir.resolve("x.json").toString();

      var started = System.nanoTime();
      var skipped =
          script("--url", url, "--uid", "x", "--output", output, "--timeout", "1", "--optional");

      assertThat(skipped.exitCode()).isZero();
      assertThat(skipped.stderr()).contains("warning", "timed out");
      assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(30);
      assertThat(dir).isEmptyDirectory();
    }
  }

  private static String export() {
    return Repository.read(DashboardImportTests.EXPORT.toAbsolutePath());
  }

  /** What makes Grafana provision a file as it is: the lint, and every datasource is the one. */
  private static void assertProvisionable(JsonNode dashboard, String uid) {
    assertThat(DashboardLint.problems(dashboard, Dashboards.datasourceUids())).isEmpty();
    assertThat(dashboard.path("uid").asText()).isEqualTo(uid);
    assertThat(dashboard.has("__inputs") || dashboard.has("__requires")).isFalse();
    assertThat(dashboard.toString()).doesNotContain("${DS_", "$datasource");
    var datasources = dashboard.findValues("datasource");
    assertThat(datasources).isNotEmpty();
    for (var datasource : datasources) {
      if (datasource.path("type").asText().equals("grafana")) {
        continue; // Grafana's built-in annotations
      }
      assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
      assertThat(datasource.path("uid").asText()).isEqualTo("prometheus");
    }
    assertThat(dashboard.path("tags").toString()).contains("\"fetchq\"");
  }

  /** Runs the script; any URL given to it must be on 127.0.0.1. */
  private static Tool.Result script(String... arguments) {
    var list = List.of(arguments);
    for (int i = 0; i + 1 < arguments.length; i++) {
      if (arguments[i].equals("--url") || arguments[i].equals("--grafana-com-api")) {
        assertThat(arguments[i + 1])
            .as("test traffic stays on loopback")
            .startsWith("http://127.0.0.1:");
      }
    }
    if (list.contains("--grafana-com-id")) {
      assertThat(list).as("never grafana.com from a test").contains("--grafana-com-api");
    }
    var command = new ArrayList<String>(List.of("python3", Dashboards.IMPORT_SCRIPT));
    command.addAll(list);
    return Tool.run(Repository.ROOT, NO_PROXY, command.toArray(String[]::new));
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP server on 127.0.0.1 that answers fixed responses by path and records the requests. */
  private static final class LoopbackServer implements AutoCloseable {

    private record Response(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> userAgents = new CopyOnWriteArrayList<>();

    LoopbackServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
      server.createContext(
          "/",
          exchange -> {
            try {
              requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
              userAgents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
              var response =
                  responses.getOrDefault(
                      exchange.getRequestURI().getPath(),
                      new Response(404, "application/json", "{\"message\":\"Not found\"}"));
              var body = response.body().getBytes(UTF_8);
              exchange.getResponseHeaders().set("Content-Type", response.contentType());
              exchange.sendResponseHeaders(response.status(), body.length);
              exchange.getResponseBody().write(body);
            } finally {
              exchange.close();
            }
          });
      server.start();
    }

    void serve(String path, int status, String contentType, String body) {
      responses.put(path, new Response(status, contentType, body));
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<String> requests() {
      return requests;
    }

    List<String> userAgents() {
      return userAgents;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
