package dev.fetchq.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the machine's {@code prometheus} binary, Debian package {@code prometheus})
 * scraping fetchq's processes on loopback, with the repository's alert rules loaded.
 */
final class PrometheusProcess implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One scrape job: name, metrics path, optional query string, loopback targets. */
  record ScrapeJob(String name, String path, String params, List<String> targets) {}

  private final Process process;
  private final URI base;

  private PrometheusProcess(Process process, int port) {
    this.process = process;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Starts Prometheus with a 1 s scrape and evaluation interval, the given jobs, and every rule
   * file of {@code rulesDir} (copied, so the test evaluates exactly the repository's rules).
   */
  static PrometheusProcess start(List<ScrapeJob> jobs, Path rulesDir) {
    String binary = System.getenv().getOrDefault("FETCHQ_PROMETHEUS", "prometheus");
    try {
      Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus-");
      Path rules = Files.createDirectories(home.resolve("rules"));
      try (var files = Files.list(rulesDir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
          Files.copy(file, rules.resolve(file.getFileName()));
        }
      }
      var config = new StringBuilder();
      config.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
      config.append("rule_files:\n  - rules/*.yml\n");
      config.append("scrape_configs:\n");
      for (ScrapeJob job : jobs) {
        config.append("  - job_name: ").append(job.name()).append('\n');
        config.append("    metrics_path: ").append(job.path()).append('\n');
        if (job.params() != null) {
          config.append("    params:\n");
          for (String param : job.params().split("&")) {
            String[] kv = param.split("=", 2);
            config.append("      ").append(kv[0]).append(": [\"").append(kv[1]).append("\"]\n");
          }
        }
        config.append("    static_configs:\n      - targets: [");
        config.append(String.join(", ", job.targets().stream().map(t -> "\"" + t + "\"").toList()));
        config.append("]\n");
      }
      Path configFile = home.resolve("prometheus.yml");
      Files.writeString(configFile, config);
      int port = ServiceProcess.freePort();
      var builder =
          new ProcessBuilder(
                  binary,
                  "--config.file=" + configFile,
                  "--storage.tsdb.path=" + home.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true);
      builder.redirectOutput(home.resolve("prometheus.log").toFile());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "Cannot run `" + binary + "`: install Prometheus (apt-get install prometheus)", e);
      }
      var prometheus = new PrometheusProcess(process, port);
      prometheus.awaitReady(home);
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Path home) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited; see " + home.resolve("prometheus.log"));
      }
      try {
        var response =
            HTTP.send(
                HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("prometheus not ready; see " + home.resolve("prometheus.log"));
  }

  /** The answer of an instant query: {@code status}, {@code error}, {@code data.result}. */
  JsonNode query(String expr) {
    return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** Active targets with their health. */
  JsonNode targets() {
    return get("/api/v1/targets?state=active");
  }

  /** Loaded rule groups with each rule's health and last error. */
  JsonNode rules() {
    return get("/api/v1/rules");
  }

  private JsonNode get(String pathAndQuery) {
    try {
      var response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
