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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the machine's {@code prometheus} binary, Debian package {@code prometheus})
 * scraping fetchq's processes on loopback, with the repository's alert rules loaded.
 */
final class PrometheusProcess implements AutoCloseable {

  /** Scrape and rule evaluation interval: short, so a test sees its effects within seconds. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One scrape job: name, metrics path, optional query string, loopback targets. */
  record ScrapeJob(String name, String path, String params, List<String> targets) {

    Map<String, Object> toConfig() {
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("job_name", name);
      job.put("metrics_path", path);
      if (params != null) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String param : params.split("&")) {
          String[] kv = param.split("=", 2);
          values.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        job.put("params", values);
      }
      job.put("static_configs", List.of(Map.of("targets", targets)));
      return job;
    }
  }

  private final Process process;
  private final URI base;
  private final Path home;
  private final Instant startedAt;

  private PrometheusProcess(Process process, int port, Path home, Instant startedAt) {
    this.process = process;
    this.base = URI.create("http://127.0.0.1:" + port);
    this.home = home;
    this.startedAt = startedAt;
  }

  /** Starts Prometheus with the given jobs; see {@link #start(List, Path, String)}. */
  static PrometheusProcess start(List<ScrapeJob> jobs, Path rulesDir) {
    return start(jobs.stream().map(ScrapeJob::toConfig).toList(), rulesDir, "scrape jobs");
  }

  /**
   * Starts Prometheus with a {@link #INTERVAL} scrape and evaluation interval, the given {@code
   * scrape_configs} entries (as Prometheus reads them), and every rule file of {@code rulesDir}
   * (copied, so the test evaluates exactly the repository's rules).
   */
  static PrometheusProcess start(
      List<Map<String, Object>> scrapeConfigs, Path rulesDir, String description) {
    String binary = System.getenv().getOrDefault("FETCHQ_PROMETHEUS", "prometheus");
    try {
      Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus-");
      Path rules = Files.createDirectories(home.resolve("rules"));
      try (var files = Files.list(rulesDir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
          Files.copy(file, rules.resolve(file.getFileName()));
        }
      }
      Map<String, Object> config = new LinkedHashMap<>();
      String interval = INTERVAL.toSeconds() + "s";
      config.put("global", Map.of("scrape_interval", interval, "evaluation_interval", interval));
      config.put("rule_files", List.of("rules/*.yml"));
      config.put("scrape_configs", scrapeConfigs);
      var options = new DumperOptions();
      options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      Path configFile = home.resolve("prometheus.yml");
      Files.writeString(configFile, "# " + description + "\n" + new Yaml(options).dump(config));
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
      Instant startedAt = Instant.now();
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "Cannot run `" + binary + "`: install Prometheus (apt-get install prometheus)", e);
      }
      var prometheus = new PrometheusProcess(process, port, home, startedAt);
      prometheus.awaitReady();
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
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

  /** When the process was started: the beginning of every series it holds. */
  Instant startedAt() {
    return startedAt;
  }

  /** The generated configuration file, for failure messages. */
  Path configFile() {
    return home.resolve("prometheus.yml");
  }

  /** The answer of an instant query: {@code status}, {@code error}, {@code data.result}. */
  JsonNode query(String expr) {
    return get("/api/v1/query?query=" + encode(expr));
  }

  /** The answer of a range query, as Grafana sends it for a time-series panel. */
  JsonNode queryRange(String expr, Instant start, Instant end, Duration step) {
    return get(
        "/api/v1/query_range?query="
            + encode(expr)
            + "&start="
            + start.getEpochSecond()
            + "&end="
            + end.getEpochSecond()
            + "&step="
            + Math.max(1, step.toSeconds()));
  }

  /** Series matching a selector since Prometheus started (Grafana's label_values(selector, l)). */
  JsonNode series(String selector) {
    return get(
        "/api/v1/series?match[]="
            + encode(selector)
            + "&start="
            + startedAt.getEpochSecond()
            + "&end="
            + Instant.now().getEpochSecond());
  }

  /** Every value of a label (Grafana's label_values(l)). */
  JsonNode labelValues(String label) {
    return get("/api/v1/label/" + encode(label) + "/values");
  }

  /** Active targets with their health. */
  JsonNode targets() {
    return get("/api/v1/targets?state=active");
  }

  /** Loaded rule groups with each rule's health and last error. */
  JsonNode rules() {
    return get("/api/v1/rules");
  }

  /** Alerts pending or firing. */
  JsonNode alerts() {
    return get("/api/v1/alerts");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
