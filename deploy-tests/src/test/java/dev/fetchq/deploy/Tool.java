package dev.fetchq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command-line tools the checks rely on (docker-compose, kubectl, promtool) in the
 * repository root. A missing tool fails the test with what to install: these checks never skip.
 */
final class Tool {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static final Map<String, String> INSTALL_HINTS =
      Map.of(
          "docker-compose",
          "Debian: apt-get install docker-compose (v1.29 is enough to validate the file)",
          "kubectl",
          "kubectl 1.27 or later (its built-in kustomize v5 understands components);"
              + " Debian's kubernetes-client 1.20 is too old",
          "promtool",
          "Debian: apt-get install prometheus (promtool comes with it)");

  /** What a finished command printed. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {

    Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited with "
                + exitCode
                + "\n--- stdout\n"
                + stdout
                + "\n--- stderr\n"
                + stderr);
      }
      return this;
    }
  }

  private Tool() {}

  static Result run(String... command) {
    return run(Repository.ROOT, Map.of(), command);
  }

  static Result run(Path directory, Map<String, String> environment, String... command) {
    try {
      var stdout = Files.createTempFile("deploy-tests-", ".out");
      var stderr = Files.createTempFile("deploy-tests-", ".err");
      try {
        var builder =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // The checks read the repository's own defaults (.env), not whatever the shell exported.
        builder
            .environment()
            .keySet()
            .removeIf(name -> name.startsWith("FETCHQ_") || name.startsWith("COMPOSE_"));
        builder.environment().putAll(environment);
        var process = start(builder, command[0]);
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT);
        }
        return new Result(
            List.of(command),
            process.exitValue(),
            Files.readString(stdout),
            Files.readString(stderr));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static Process start(ProcessBuilder builder, String tool) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          tool
              + " is needed for this check and could not be run ("
              + e.getMessage()
              + "). Install: "
              + INSTALL_HINTS.getOrDefault(tool, tool),
          e);
    }
  }
}
