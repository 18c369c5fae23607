package dev.fetchq.testsupport;

import static dev.fetchq.testsupport.TestServices.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A second RabbitMQ node on this machine, started from its RabbitMQ installation ({@code
 * FETCHQ_TEST_RABBITMQ_SBIN}, default {@code /usr/lib/rabbitmq/bin}) as a child process of the test
 * JVM: its own node name, Erlang cookie, data directory and loopback ports, no plugins. The
 * machine's own broker is not touched.
 */
final class LocalRabbitNode implements StoppableRabbit {

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Path directory;
  private final String node;
  private final Map<String, String> environment;
  private final Process process;
  private final RabbitEndpoint endpoint;

  private LocalRabbitNode(
      Path directory, String node, Map<String, String> environment, Process process, int port) {
    this.directory = directory;
    this.node = node;
    this.environment = environment;
    this.process = process;
    this.endpoint = new RabbitEndpoint("127.0.0.1", port, "guest", "guest", "/", null);
  }

  static LocalRabbitNode launch() {
    Path sbin = Path.of(env("FETCHQ_TEST_RABBITMQ_SBIN", "/usr/lib/rabbitmq/bin"));
    if (!Files.isExecutable(sbin.resolve("rabbitmq-server"))) {
      throw new IllegalStateException(
          "No RabbitMQ installation at "
              + sbin
              + " to start a broker of the test's own (set FETCHQ_TEST_RABBITMQ_SBIN, or run with"
              + " Docker)");
    }
    try {
      Path directory = Files.createTempDirectory("fetchq-rabbit-");
      String name = "fetchq-test-" + UUID.randomUUID().toString().substring(0, 8);
      String node = name + "@localhost";
      int port = FreePorts.take();
      int distributionPort = FreePorts.take();
      Path cookie = directory.resolve(".erlang.cookie");
      Files.writeString(cookie, HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes()));
      Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
      Files.writeString(
          directory.resolve("rabbitmq.conf"),
          "listeners.tcp.local = 127.0.0.1:" + port + "\nloopback_users = none\n");
      Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
      Files.writeString(directory.resolve("rabbitmq-env.conf"), "");
      Map<String, String> environment = new HashMap<>();
      environment.put("HOME", directory.toString());
      environment.put("RABBITMQ_NODENAME", node);
      environment.put("RABBITMQ_NODE_PORT", Integer.toString(port));
      environment.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
      environment.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
      environment.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
      environment.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
      environment.put(
          "RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
      environment.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
      environment.put("RABBITMQ_PID_FILE", directory.resolve("pid").toString());
      environment.put("ERL_EPMD_ADDRESS", "127.0.0.1");
      environment.put(
          "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
      var builder =
          new ProcessBuilder(sbin.resolve("rabbitmq-server").toString()).redirectErrorStream(true);
      builder.redirectOutput(directory.resolve("server.log").toFile());
      builder.environment().putAll(environment);
      var rabbit = new LocalRabbitNode(directory, node, environment, builder.start(), port);
      Runtime.getRuntime().addShutdownHook(new Thread(rabbit::close));
      rabbit.awaitStartup();
      return rabbit;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public RabbitEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void stopApp() {
    rabbitmqctl("stop_app").check(STARTUP);
  }

  @Override
  public void startApp() {
    rabbitmqctl("start_app").check(STARTUP);
    awaitStartup();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      rabbitmqctl("stop").run(Duration.ofSeconds(30));
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
    Directories.deleteQuietly(directory);
  }

  private void awaitStartup() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    Command.Result last;
    do {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "RabbitMQ node "
                + node
                + " exited:\n"
                + Directories.tail(directory.resolve("server.log")));
      }
      last = rabbitmqctl("await_startup", "--timeout", "10").run(Duration.ofSeconds(20));
      if (last.ok()) {
        return;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(
        "RabbitMQ node " + node + " did not start within " + STARTUP + ": " + last.output());
  }

  private Command rabbitmqctl(String... arguments) {
    Path sbin = Path.of(env("FETCHQ_TEST_RABBITMQ_SBIN", "/usr/lib/rabbitmq/bin"));
    String[] argv = new String[arguments.length + 3];
    argv[0] = sbin.resolve("rabbitmqctl").toString();
    argv[1] = "-n";
    argv[2] = node;
    System.arraycopy(arguments, 0, argv, 3, arguments.length);
    return Command.of(environment, argv);
  }

  private static void sleep() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "RabbitMQ node " + node + " on 127.0.0.1:" + endpoint.port();
  }
}
