package dev.fetchq.system;

import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.PostgresEndpoint;
import dev.fetchq.testsupport.RabbitEndpoint;
import dev.fetchq.testsupport.TcpProxy;
import dev.fetchq.testsupport.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * fetchq as an operator runs it: the built api-service jar and download-worker jars as separate
 * processes on the real broker and database, with a real HTTP origin. Started once per test JVM and
 * shared by the system test classes (starting JVMs is the expensive part); stopped at exit.
 *
 * <p>Retry tiers are short (1 s, 2 s, 3 s; 3 attempts) so that retry paths finish in seconds.
 */
final class FetchqCluster {

  static final String ADMIN_TOKEN = "system-test-admin-token";

  /** A client-role API key (local test value, not a secret) and its SHA-256 as configured. */
  static final String CLIENT_KEY = "fq_system-test-client-key-a-not-a-secret-000";

  private static final String CLIENT_KEY_SHA256 =
      "0468be89d1234e38524b219e65a8bd71e43d2398fdbdf02507958fdb9eb46ae0";
  static final Duration STARTUP = Duration.ofSeconds(90);

  private static FetchqCluster instance;

  final RabbitEndpoint rabbit = TestServices.rabbit();
  final PostgresEndpoint postgres = TestServices.postgres();
  final OriginServer origin = OriginServer.start();

  /**
   * The api reaches the broker through this proxy, which tests can cut; workers connect directly.
   */
  final TcpProxy apiToBroker = TcpProxy.start(rabbit.host(), rabbit.port());

  final Path storage;
  final FetchqClient client;
  final FetchqClient admin;
  private final ServiceProcess api;
  private final Map<String, ServiceProcess> workers = new LinkedHashMap<>();
  private final Map<String, Integer> workerManagementPorts = new LinkedHashMap<>();
  private final int apiManagementPort;

  private FetchqCluster() {
    try {
      storage = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "storage-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int apiPort = ServiceProcess.freePort();
    apiManagementPort = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.putAll(postgres.environment());
    env.putAll(rabbit.environment());
    env.put("SPRING_RABBITMQ_PORT", Integer.toString(apiToBroker.port()));
    env.put("SERVER_PORT", Integer.toString(apiPort));
    env.put("MANAGEMENT_SERVER_PORT", Integer.toString(apiManagementPort));
    env.put("FETCHQ_STORAGE_DIR", storage.toString());
    env.put("FETCHQ_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("FETCHQ_SECURITY_APIKEYS", "system-a:client:" + CLIENT_KEY_SHA256);
    api = ServiceProcess.start("api-service", jar("fetchq.api.jar"), env, apiManagementPort);
    List<ServiceProcess> started = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      started.add(launchWorker("worker-" + i));
    }
    api.awaitReady(STARTUP);
    started.forEach(w -> w.awaitReady(STARTUP));
    client = new FetchqClient(apiPort, CLIENT_KEY);
    admin = new FetchqClient(apiPort, ADMIN_TOKEN);
  }

  static synchronized FetchqCluster get() {
    if (instance == null) {
      instance = new FetchqCluster();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  /** Starts one more worker process and waits until it is ready. */
  ServiceProcess startWorker(String name) {
    return launchWorker(name).awaitReady(STARTUP);
  }

  /** Stops a worker gracefully (SIGTERM) and waits for it to exit. */
  void stopWorker(String name) {
    ServiceProcess worker = workers.remove(name);
    workerManagementPorts.remove(name);
    if (worker != null) {
      worker.close();
    }
  }

  /** Kills a worker with SIGKILL (kill -9). */
  void killWorker(String name) {
    ServiceProcess worker = workers.remove(name);
    if (worker != null) {
      worker.kill();
    }
  }

  List<String> workerNames() {
    return List.copyOf(workers.keySet());
  }

  int apiManagementPort() {
    return apiManagementPort;
  }

  /** The actuator port (health, prometheus) of each running worker, by worker name. */
  Map<String, Integer> workerManagementPorts() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(workerManagementPorts));
  }

  /** Files (final or partial) the workers left in storage, relative names. */
  List<String> storedFiles() {
    try (Stream<Path> files = Files.walk(storage)) {
      return files.filter(Files::isRegularFile).map(p -> storage.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ServiceProcess launchWorker(String name) {
    int port = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>(rabbit.environment());
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("FETCHQ_STORAGE_DIR", storage.toString());
    env.put("FETCHQ_WORKER_ID", name);
    env.put("FETCHQ_RETRY_TIERS", "1s,2s,3s");
    env.put("FETCHQ_RETRY_MAXATTEMPTS", "3");
    env.put("FETCHQ_RETRY_JITTER", "0");
    // The origin is on loopback, which the SSRF guard refuses unless allowed explicitly.
    env.put("FETCHQ_WORKER_ALLOWED_HOSTS", "127.0.0.1");
    var worker = ServiceProcess.start(name, jar("fetchq.worker.jar"), env, port);
    workers.put(name, worker);
    workerManagementPorts.put(name, port);
    return worker;
  }

  private void stop() {
    new ArrayList<>(workers.keySet()).reversed().forEach(this::stopWorker);
    api.close();
    apiToBroker.close();
    origin.close();
  }

  private static Path jar(String property) {
    String path = System.getProperty(property);
    if (path == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run through Maven)");
    }
    return Path.of(path);
  }
}
