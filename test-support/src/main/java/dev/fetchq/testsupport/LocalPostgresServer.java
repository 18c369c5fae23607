package dev.fetchq.testsupport;

import static dev.fetchq.testsupport.TestServices.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A second PostgreSQL server on this machine, initialised with its PostgreSQL binaries ({@code
 * FETCHQ_TEST_POSTGRES_BINDIR}, default: the newest {@code /usr/lib/postgresql/<version>/bin}) in a
 * temporary directory, on a free loopback port, with trust authentication for {@code postgres}. Run
 * as the {@code postgres} user when the tests run as root (PostgreSQL refuses root). The machine's
 * own server is not touched.
 */
final class LocalPostgresServer implements StoppablePostgres {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path bin;
  private final Path directory;
  private final int port;
  private final boolean asPostgresUser;
  private final PostgresEndpoint endpoint;

  private LocalPostgresServer(Path bin, Path directory, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.directory = directory;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.endpoint =
        new PostgresEndpoint("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
  }

  static LocalPostgresServer launch() {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path directory = Files.createTempDirectory("fetchq-postgres-");
      if (root) {
        UserPrincipal postgres =
            directory
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName("postgres");
        Files.setOwner(directory, postgres);
      }
      var server = new LocalPostgresServer(bin, directory, FreePorts.take(), root);
      server
          .command(
              "initdb",
              "-D",
              server.data(),
              "-U",
              "postgres",
              "--auth=trust",
              "--encoding=UTF8",
              "--no-sync")
          .check(TIMEOUT);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public PostgresEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void stop() {
    command("pg_ctl", "stop", "-D", data(), "-m", "fast", "-w").check(TIMEOUT);
  }

  @Override
  public void start() {
    command(
            "pg_ctl",
            "start",
            "-D",
            data(),
            "-w",
            "-l",
            directory.resolve("server.log").toString(),
            "-o",
            "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1")
        .check(TIMEOUT);
  }

  @Override
  public void close() {
    if (Files.exists(directory.resolve("data").resolve("postmaster.pid"))) {
      command("pg_ctl", "stop", "-D", data(), "-m", "immediate", "-w").run(TIMEOUT);
    }
    Directories.deleteQuietly(directory);
  }

  private String data() {
    return directory.resolve("data").toString();
  }

  private Command command(String program, String... arguments) {
    List<String> argv = new ArrayList<>();
    if (asPostgresUser) {
      argv.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    argv.add(bin.resolve(program).toString());
    argv.addAll(List.of(arguments));
    return new Command(argv, Map.of());
  }

  private static Path binaries() {
    String configured = env("FETCHQ_TEST_POSTGRES_BINDIR", "");
    if (!configured.isEmpty()) {
      return Path.of(configured);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(dir -> Files.isExecutable(dir.resolve("initdb")))
          .max(
              Comparator.comparing(
                  dir -> Integer.parseInt(dir.getParent().getFileName().toString())))
          .orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "No PostgreSQL binaries (initdb, pg_ctl) found to start a server of the test's own: set"
              + " FETCHQ_TEST_POSTGRES_BINDIR, or run with Docker",
          e);
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL on 127.0.0.1:" + port + " in " + directory;
  }
}
