package dev.fetchq.system;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.PostgresEndpoint;
import dev.fetchq.testsupport.RabbitEndpoint;
import dev.fetchq.testsupport.Routes;
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
final class FetchqCluster implements AutoCloseable {

  static final String ADMIN_TOKEN = "system-test-admin-token";

  /** A client-role API key (local test value, not a secret) and its SHA-256 as configured. */
  static final String CLIENT_KEY = "fq_system-test-client-key-a-not-a-secret-000";

  private static final String CLIENT_KEY_SHA256 =
      "0468be89d1234e38524b219e65a8bd71e43d2398fdbdf02507958fdb9eb46ae0";
  static final Duration STARTUP = Duration.ofSeconds(90);

  /** How long a stopping worker lets running downloads finish before it hands them back. */
  static final Duration WORKER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private static FetchqCluster instance;

  final RabbitEndpoint rabbit;
  final PostgresEndpoint postgres;
  final OriginServer origin = OriginServer.start();

  /**
   * The api reaches the broker through this proxy, which tests can cut; workers connect directly.
   */
  final TcpProxy apiToBroker;

  final Path storage;
  final FetchqClient client;
  final FetchqClient admin;
  private final String logPrefix;
  private final Map<String, String> apiEnvironment = new HashMap<>();
  private ServiceProcess api;
  private final Map<String, ServiceProcess> workers = new LinkedHashMap<>();
  private final Map<String, Integer> workerManagementPorts = new LinkedHashMap<>();
  private final int apiManagementPort;

  private FetchqCluster(String logPrefix, RabbitEndpoint rabbit, PostgresEndpoint postgres) {
    this.logPrefix = logPrefix;
    this.rabbit = rabbit;
    this.postgres = postgres;
    this.apiToBroker = TcpProxy.start(rabbit.host(), rabbit.port());
    try {
      storage = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "storage-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int apiPort = ServiceProcess.freePort();
    apiManagementPort = ServiceProcess.freePort();
    apiEnvironment.putAll(postgres.environment());
    apiEnvironment.putAll(rabbit.environment());
    apiEnvironment.put("SPRING_RABBITMQ_PORT", Integer.toString(apiToBroker.port()));
    apiEnvironment.put("SERVER_PORT", Integer.toString(apiPort));
    apiEnvironment.put("MANAGEMENT_SERVER_PORT", Integer.toString(apiManagementPort));
    apiEnvironment.put("FETCHQ_STORAGE_DIR", storage.toString());
    apiEnvironment.put("FETCHQ_ADMIN_TOKEN", ADMIN_TOKEN);
    apiEnvironment.put("FETCHQ_SECURITY_APIKEYS", "system-a:client:" + CLIENT_KEY_SHA256);
    api = launchApi();
    List<ServiceProcess> started = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      started.add(launchWorker("worker-" + i));
    }
    api.awaitReady(STARTUP);
    started.forEach(w -> w.awaitReady(STARTUP));
    client = new FetchqClient(apiPort, CLIENT_KEY);
    admin = new FetchqClient(apiPort, ADMIN_TOKEN);
  }

  /** The cluster the system test classes share, on the test run's broker and database. */
  static synchronized FetchqCluster get() {
    if (instance == null) {
      instance = new FetchqCluster("", TestServices.rabbit(), TestServices.postgres());
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
    }
    return instance;
  }

  /**
   * A cluster of the caller's own on the given broker and database (a fault test's, which it may
   * stop); the caller closes it. Its logs are {@code target/system-logs/<name>-*.log}.
   */
  static FetchqCluster start(String name, RabbitEndpoint rabbit, PostgresEndpoint postgres) {
    return new FetchqCluster(name + "-", rabbit, postgres);
  }

  /**
   * Submits a job for the origin's {@code path} (its route set by the caller) with {@code
   * content}'s SHA-256, asserting it is accepted; the job's id.
   */
  String submit(String path, Content content) {
    var response = client.submit(origin.url(path).toString(), content.sha256());
    if (response.status() != 202) {
      throw new AssertionError("POST /jobs for " + path + " answered " + response);
    }
    return response.body().get("id").asString();
  }

  /**
   * Submits {@code count} downloads of {@code size} bytes that the origin trickles at 200 kB/s,
   * records them in {@code ledger} and waits until all of them are RUNNING: work in flight for a
   * fault to hit. Their ids.
   */
  List<String> startSlowDownloads(String name, int count, int size, long seed, JobLedger ledger) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var content = Content.random(size, seed + i);
      String path = "/" + name + "-" + System.nanoTime() + "-" + i;
      origin.route(path, Routes.rangeable(content, "v1").throttled(200_000));
      String id = submit(path, content);
      ledger.submitted(id, content);
      ids.add(id);
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> client.status(id).equals("RUNNING")));
    return ids;
  }

  /** Messages waiting in the api's outbox (committed, not yet published). */
  long outboxRows() {
    try (var connection = postgres.connect();
        var statement = connection.createStatement();
        var result = statement.executeQuery("select count(*) from outbox_message")) {
      result.next();
      return result.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills the api-service with SIGKILL (kill -9), as a crash would. */
  void killApi() {
    api.kill();
  }

  /** Starts the api-service again, same ports and settings, and waits until it is ready. */
  void restartApi() {
    api = launchApi().awaitReady(STARTUP);
  }

  private ServiceProcess launchApi() {
    return ServiceProcess.start(
        logPrefix + "api-service", jar("fetchq.api.jar"), apiEnvironment, apiManagementPort);
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

  /** Sends SIGTERM to a worker without waiting: the test watches what it does while it stops. */
  ServiceProcess terminateWorker(String name) {
    ServiceProcess worker = workers.remove(name);
    workerManagementPorts.remove(name);
    if (worker == null) {
      throw new IllegalArgumentException("no running worker " + name);
    }
    worker.terminate();
    return worker;
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
    env.put("FETCHQ_WORKER_SHUTDOWNTIMEOUT", WORKER_SHUTDOWN_TIMEOUT.toSeconds() + "s");
    var worker = ServiceProcess.start(logPrefix + name, jar("fetchq.worker.jar"), env, port);
    workers.put(name, worker);
    workerManagementPorts.put(name, port);
    return worker;
  }

  @Override
  public void close() {
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
