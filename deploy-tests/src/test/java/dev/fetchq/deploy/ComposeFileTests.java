package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked through {@code docker-compose config} (Debian's Compose 1.29, which
 * also proves the file parses without a Docker engine).
 */
class ComposeFileTests {

  private static final Set<String> JAVA_SERVICES = Set.of("api-service", "download-worker");

  /** A tag that names a release (at least major.minor), or a digest; never a moving "latest". */
  private static final Pattern PINNED =
      Pattern.compile("[^:@]+(:v?\\d+\\.\\d+[\\w.-]*|@sha256:[0-9a-f]{64})");

  @Test
  void validatesWithComposeAndNeedsNoTopLevelName() {
    Tool.run("docker-compose", "-f", "docker-compose.yml", "config", "-q").requireSuccess();
    // Compose 1.29 rejects `name:`; `version:` is obsolete in v2. The project name is in .env.
    var raw = Yaml.file("docker-compose.yml");
    assertThat(raw.has("name")).isFalse();
    assertThat(raw.has("version")).isFalse();
    assertThat(Compose.dotEnv()).containsKey("COMPOSE_PROJECT_NAME");
  }

  @Test
  void everyImageIsPinned() {
    for (var service : Compose.services()) {
      assertThat(service.getValue().path("image").asText())
          .as("image of %s", service.getKey())
          .matches(PINNED);
    }
  }

  @Test
  void theServicesAreBuiltFromSourceWithTheOneDockerfile() {
    for (var name : JAVA_SERVICES) {
      var build = Compose.service(name).path("build");
      assertThat(Path.of(build.path("context").asText())).isEqualTo(Repository.ROOT);
      assertThat(build.path("args").path("SERVICE").asText()).isEqualTo(name);
    }
  }

  /**
   * A one-shot (a job that runs to completion, such as grafana-dashboards) says so with {@code
   * restart: "no"}; every other service runs on and has a healthcheck.
   */
  static boolean isOneShot(JsonNode service) {
    return service.path("restart").isTextual() && service.path("restart").asText().equals("no");
  }

  @Test
  void everyServiceHasAHealthcheckOrIsAOneShot() {
    var oneShots = 0;
    for (var service : Compose.services()) {
      var name = service.getKey();
      var spec = service.getValue();
      if (isOneShot(spec)) {
        oneShots++;
        // Nothing waits for its health: dependents wait until it has exited with status 0.
        assertThat(spec.has("healthcheck")).as("one-shot %s has no healthcheck", name).isFalse();
        assertThat(spec.has("ports")).as("one-shot %s publishes no port", name).isFalse();
        assertThat(spec.path("command").isEmpty()).as("one-shot %s runs a command", name).isFalse();
        continue;
      }
      var healthcheck = spec.path("healthcheck");
      assertThat(healthcheck.path("test").isArray()).as("healthcheck of %s", name).isTrue();
      assertThat(healthcheck.path("disable").asBoolean(false)).isFalse();
      assertThat(spec.path("restart").asText()).as("restart policy of %s", name).isNotEmpty();
    }
    assertThat(oneShots).isPositive();
  }

  @Test
  void everyDependencyWaitsUntilTheDependencyIsHealthyOrHasCompleted() {
    var dependencies = 0;
    for (var service : Compose.services()) {
      for (var dependency : service.getValue().path("depends_on").properties()) {
        dependencies++;
        var target = Compose.service(dependency.getKey());
        var condition = dependency.getValue().path("condition").asText();
        var what = service.getKey() + " depends on " + dependency.getKey();
        if (isOneShot(target)) {
          // service_healthy would never be met, service_started would not wait for the result.
          assertThat(condition).as(what).isEqualTo("service_completed_successfully");
        } else {
          // A long-running service never completes: wait until it is healthy.
          assertThat(condition).as(what).isEqualTo("service_healthy");
          assertThat(target.has("healthcheck")).as(what).isTrue();
        }
      }
    }
    assertThat(dependencies).isPositive();
  }

  @Test
  void everyMountedFileIsInTheRepository() {
    var binds = 0;
    for (var service : Compose.services()) {
      for (var mount : Compose.mounts(service.getKey())) {
        if (mount.isBind()) {
          binds++;
          var source = Path.of(mount.source()).normalize();
          assertThat(source).as("bind mount of %s", service.getKey()).startsWith(Repository.ROOT);
          // A missing source would be created by Docker as an empty directory.
          assertThat(Files.exists(source)).as("%s exists", source).isTrue();
          assertThat(mount.readOnly()).as("%s is mounted read-only", source).isTrue();
        }
      }
    }
    assertThat(binds).isGreaterThanOrEqualTo(8);
  }

  @Test
  void workersScaleWithoutConflicts() {
    var worker = Compose.service("download-worker");
    assertThat(worker.has("ports")).as("published ports clash between replicas").isFalse();
    assertThat(worker.has("container_name")).isFalse();
    // Replicas sharing a hostname would share the default worker id (hostname-pid).
    assertThat(worker.has("hostname")).isFalse();
    assertThat(Compose.environment("download-worker")).doesNotContainKey("FETCHQ_WORKER_ID");
    assertThat(worker.path("deploy").path("replicas").asInt())
        .isEqualTo(Integer.parseInt(Compose.dotEnv().get("FETCHQ_WORKER_REPLICAS")))
        .isEqualTo(2);
    for (var service : Compose.services()) {
      assertThat(service.getValue().has("container_name")).as(service.getKey()).isFalse();
    }
  }

  @Test
  void gracePeriodsAreLongerThanTheDrain() {
    for (var name : JAVA_SERVICES) {
      var environment = Compose.environment(name);
      var stopGrace = Durations.parse(Compose.service(name).path("stop_grace_period").asText());
      var lifecycle =
          Durations.parse(environment.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
      assertThat(stopGrace).as("%s stop_grace_period", name).isGreaterThan(lifecycle);
    }
    var worker = Compose.environment("download-worker");
    var drain = Durations.parse(worker.get("FETCHQ_WORKER_SHUTDOWN_TIMEOUT"));
    var lifecycle = Durations.parse(worker.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
    assertThat(drain).isEqualTo(Duration.ofSeconds(60));
    assertThat(lifecycle).isGreaterThanOrEqualTo(drain).isEqualTo(Duration.ofSeconds(70));
    assertThat(
            Durations.parse(Compose.service("download-worker").path("stop_grace_period").asText()))
        .isGreaterThan(Duration.ofSeconds(70));
  }

  @Test
  void credentialsComeFromTheEnvFileAndAreNotGuest() {
    var raw = Repository.read("docker-compose.yml");
    var dotEnv = Compose.dotEnv();
    // Every variable the file interpolates has a local default in .env.
    var variables =
        Pattern.compile("(?<!\\$)\\$\\{(\\w+)").matcher(raw).results().map(m -> m.group(1));
    assertThat(variables.toList()).isNotEmpty().allSatisfy(v -> assertThat(dotEnv).containsKey(v));

    var broker = Compose.environment("rabbitmq");
    assertThat(broker.get("RABBITMQ_DEFAULT_USER"))
        .isEqualTo(dotEnv.get("FETCHQ_RABBITMQ_USER"))
        .isNotEqualTo("guest");
    assertThat(broker.get("RABBITMQ_DEFAULT_PASS"))
        .isEqualTo(dotEnv.get("FETCHQ_RABBITMQ_PASSWORD"))
        .isNotEqualTo("guest");
    for (var name : JAVA_SERVICES) {
      var environment = Compose.environment(name);
      assertThat(environment.get("SPRING_RABBITMQ_USERNAME"))
          .isEqualTo(broker.get("RABBITMQ_DEFAULT_USER"));
      assertThat(environment.get("SPRING_RABBITMQ_PASSWORD"))
          .isEqualTo(broker.get("RABBITMQ_DEFAULT_PASS"));
      assertThat(environment.get("SPRING_RABBITMQ_HOST")).isEqualTo("rabbitmq");
    }
    var database = Compose.environment("postgres");
    var api = Compose.environment("api-service");
    assertThat(api.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(database.get("POSTGRES_USER"));
    assertThat(api.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(database.get("POSTGRES_PASSWORD"));
    assertThat(api.get("SPRING_DATASOURCE_URL"))
        .isEqualTo("jdbc:postgresql://postgres:5432/" + database.get("POSTGRES_DB"));
  }

  @Test
  void dataAndDownloadsLiveInNamedVolumes() {
    var declared = new ArrayList<String>();
    Compose.config().path("volumes").fieldNames().forEachRemaining(declared::add);
    var expected =
        Map.of(
            "rabbitmq", "/var/lib/rabbitmq",
            "postgres", "/var/lib/postgresql/data",
            "prometheus", "/prometheus",
            "grafana", "/var/lib/grafana");
    expected.forEach(
        (service, path) ->
            assertThat(Compose.mounts(service))
                .anySatisfy(
                    mount -> {
                      assertThat(mount.target()).isEqualTo(path);
                      assertThat(declared).contains(mount.source());
                    }));

    // One volume: workers write downloads, the api-service only reads them.
    var worker = downloadsMount("download-worker");
    var api = downloadsMount("api-service");
    assertThat(worker.source()).isEqualTo(api.source()).isIn(declared);
    assertThat(worker.readOnly()).isFalse();
    assertThat(api.readOnly()).isTrue();
  }

  @Test
  void publishedPortsListenOnLoopbackOnly() {
    var published = 0;
    for (var service : Compose.services()) {
      for (var port : Compose.ports(service.getKey())) {
        published++;
        assertThat(port.hostIp()).as("%s port %s", service.getKey(), port).isEqualTo("127.0.0.1");
      }
    }
    assertThat(published).isEqualTo(4);
  }

  @Test
  void javaHealthchecksAskTheManagementPortForReadiness() {
    for (var name : JAVA_SERVICES) {
      var environment = Compose.environment(name);
      var managementPort =
          environment.getOrDefault("MANAGEMENT_SERVER_PORT", environment.get("SERVER_PORT"));
      var command = Compose.service(name).path("healthcheck").path("test").toString();
      assertThat(command)
          .contains("/dev/tcp/127.0.0.1/" + managementPort)
          .contains("/actuator/health/readiness");
    }
    assertThat(Compose.environment("api-service"))
        .containsEntry("SERVER_PORT", "8080")
        .containsEntry("MANAGEMENT_SERVER_PORT", "8081");
    assertThat(Compose.environment("download-worker")).containsEntry("SERVER_PORT", "8090");
  }

  @Test
  void workersMayDownloadFromTheDemoOrigin() {
    var allowed = Compose.environment("download-worker").get("FETCHQ_WORKER_ALLOWED_HOSTS");
    assertThat(allowed.split(",")).contains("demo-origin");
    assertThat(Compose.service("demo-origin").path("image").asText()).startsWith("nginx:");
  }

  @Test
  void theBrokerRunsRabbitmq4WithItsPluginsAndLoadsNoTopology() {
    assertThat(Compose.service("rabbitmq").path("image").asText())
        .matches("rabbitmq:4\\.\\d+\\.\\d+-management");
    assertThat(Repository.read("deploy/rabbitmq/enabled_plugins"))
        .contains("rabbitmq_management", "rabbitmq_prometheus");
    // Topology is declared by the services (shared-model Topology), nowhere else.
    assertThat(Repository.read("deploy/rabbitmq/rabbitmq.conf")).doesNotContain("load_definitions");
    assertThat(Compose.mounts("rabbitmq"))
        .noneSatisfy(mount -> assertThat(mount.target()).contains("definitions"));
    assertThat(Compose.environment("rabbitmq")).doesNotContainKey("RABBITMQ_DEFINITIONS_FILE");
  }

  private static Compose.Mount downloadsMount(String service) {
    var storageDir = Compose.environment(service).get("FETCHQ_STORAGE_DIR");
    return Compose.mounts(service).stream()
        .filter(mount -> mount.target().equals(storageDir))
        .findFirst()
        .orElseThrow(() -> new AssertionError(service + " does not mount " + storageDir));
  }
}
