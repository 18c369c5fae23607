package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The compose Prometheus: its config, alert rules and their unit tests, checked with promtool. */
class PrometheusConfigTests {

  private static final String CONFIG = "observability/prometheus/prometheus.yml";
  private static final String RULES = "observability/prometheus/rules";
  private static final String RULE_TESTS = "observability/prometheus/tests";

  @Test
  void promtoolAcceptsTheConfigAndTheRuleFilesItLoads() {
    var result = Tool.run("promtool", "check", "config", CONFIG).requireSuccess();
    // The rule_files glob must find the rules (a glob matching nothing is not an error).
    assertThat(result.stdout() + result.stderr())
        .containsPattern("SUCCESS: [1-9]\\d* rule files found");
  }

  @Test
  void promtoolAcceptsEveryRuleFile() {
    var command = new ArrayList<>(List.of("promtool", "check", "rules"));
    ruleFiles().forEach(file -> command.add(Repository.relative(file)));
    Tool.run(command.toArray(String[]::new)).requireSuccess();
  }

  @Test
  void alertRulesPassTheirUnitTests() throws IOException {
    var command = new ArrayList<>(List.of("promtool", "test", "rules"));
    try (var files = Files.list(Repository.path(RULE_TESTS))) {
      files
          .filter(f -> f.toString().endsWith(".yml"))
          .sorted()
          .forEach(f -> command.add(Repository.relative(f)));
    }
    assertThat(command).hasSizeGreaterThan(3);
    Tool.run(command.toArray(String[]::new)).requireSuccess();
  }

  @Test
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItMustNot() throws IOException {
    var firing = new HashSet<String>();
    var quiet = new HashSet<String>();
    try (var files = Files.list(Repository.path(RULE_TESTS))) {
      for (var file : files.toList()) {
        for (var test : Yaml.read(Repository.read(file)).path("tests")) {
          for (var check : test.path("alert_rule_test")) {
            var name = check.path("alertname").asText();
            (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
          }
        }
      }
    }
    assertThat(firing).as("alerts tested firing").containsAll(alertNames());
    assertThat(quiet).as("alerts tested quiet").containsAll(alertNames());
  }

  @Test
  void everyAlertSaysHowBadItIsAndWhatToDo() {
    for (var rule : rules()) {
      if (rule.has("alert")) {
        var name = rule.path("alert").asText();
        assertThat(name).startsWith("Fetchq");
        assertThat(rule.path("labels").path("severity").asText())
            .as("%s severity", name)
            .isIn("warning", "critical");
        assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
        assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
        // A rule without `for` fires on one bad scrape.
        assertThat(rule.path("for").asText()).as("%s for", name).isNotBlank();
      }
    }
  }

  @Test
  void brokerMetricsCarryTheClusterAndNodeLabelsTheRabbitmqDashboardSelects() {
    for (var name : List.of("rabbitmq", "rabbitmq-detailed")) {
      var labels = new HashSet<String>();
      job(name).path("relabel_configs").forEach(r -> labels.add(r.path("target_label").asText()));
      assertThat(labels).as(name).contains("rabbitmq_cluster", "rabbitmq_node");
    }
  }

  @Test
  void everyWorkerReplicaIsScrapedThroughComposeDns() {
    var job = job("download-worker");
    var discovery = job.path("dns_sd_configs");
    assertThat(discovery).hasSize(1);
    var names = new ArrayList<String>();
    discovery.get(0).path("names").forEach(name -> names.add(name.asText()));
    assertThat(names).containsExactly("download-worker");
    assertThat(Compose.service("download-worker").isMissingNode()).isFalse();
    assertThat(discovery.get(0).path("type").asText()).isEqualTo("A");
    assertThat(discovery.get(0).path("port").asText())
        .isEqualTo(Compose.environment("download-worker").get("SERVER_PORT"));
    assertThat(job.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
    assertThat(job.has("static_configs")).isFalse();
  }

  @Test
  void theApiIsScrapedOnItsManagementPort() {
    var job = job("api-service");
    assertThat(targets(job))
        .containsExactly(
            "api-service:" + Compose.environment("api-service").get("MANAGEMENT_SERVER_PORT"));
    assertThat(job.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
  }

  @Test
  void rabbitmqIsScrapedInAggregateAndPerQueue() {
    assertThat(targets(job("rabbitmq"))).containsExactly("rabbitmq:15692");
    var detailed = job("rabbitmq-detailed");
    assertThat(targets(detailed)).containsExactly("rabbitmq:15692");
    assertThat(detailed.path("metrics_path").asText()).isEqualTo("/metrics/detailed");
    var families = new ArrayList<String>();
    detailed.path("params").path("family").forEach(f -> families.add(f.asText()));
    assertThat(families).containsExactlyInAnyOrder("queue_coarse_metrics", "queue_consumer_count");
  }

  @Test
  void rulesOnlyNameJobsThatAreScraped() {
    var scraped = new HashSet<String>();
    config().path("scrape_configs").forEach(job -> scraped.add(job.path("job_name").asText()));
    assertThat(jobsUsedByRules()).isNotEmpty().allSatisfy(job -> assertThat(scraped).contains(job));
  }

  @Test
  void composeMountsTheConfigAndRulesWhereTheConfigLooksForThem() {
    var mounts = Compose.mounts("prometheus");
    assertThat(mounts)
        .anySatisfy(
            m -> {
              assertThat(Path.of(m.source())).isEqualTo(Repository.path(CONFIG));
              assertThat(m.target()).isEqualTo("/etc/prometheus/prometheus.yml");
            })
        .anySatisfy(
            m -> {
              assertThat(Path.of(m.source())).isEqualTo(Repository.path(RULES));
              assertThat(m.target()).isEqualTo("/etc/prometheus/rules");
            });
    var ruleFiles = new ArrayList<String>();
    config().path("rule_files").forEach(f -> ruleFiles.add(f.asText()));
    assertThat(ruleFiles).containsExactly("rules/*.yml");
    assertThat(Compose.service("prometheus").path("command").toString())
        .contains("--config.file=/etc/prometheus/prometheus.yml");
  }

  /** Every {@code job="..."} an alert expression selects on. */
  static Set<String> jobsUsedByRules() {
    var jobs = new HashSet<String>();
    var pattern = Pattern.compile("job\\s*=\\s*\"([^\"]+)\"");
    for (var rule : rules()) {
      pattern.matcher(rule.path("expr").asText()).results().forEach(m -> jobs.add(m.group(1)));
    }
    return jobs;
  }

  static List<Path> ruleFiles() {
    try (var files = Files.list(Repository.path(RULES))) {
      var list = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
      assertThat(list).isNotEmpty();
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> rules() {
    var rules = new ArrayList<JsonNode>();
    for (var file : ruleFiles()) {
      for (var group : Yaml.read(Repository.read(file)).path("groups")) {
        group.path("rules").forEach(rules::add);
      }
    }
    return rules;
  }

  private static Set<String> alertNames() {
    var names = new HashSet<String>();
    rules().stream().filter(r -> r.has("alert")).forEach(r -> names.add(r.path("alert").asText()));
    return names;
  }

  private static JsonNode config() {
    return Yaml.file(CONFIG);
  }

  private static JsonNode job(String name) {
    return StreamSupport.stream(config().path("scrape_configs").spliterator(), false)
        .filter(job -> job.path("job_name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no scrape job " + name));
  }

  private static List<String> targets(JsonNode job) {
    var targets = new ArrayList<String>();
    job.path("static_configs")
        .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
    return targets;
  }
}
