package dev.fetchq.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command line run to completion, for the services tests start themselves. */
record Command(List<String> argv, Map<String, String> environment) {

  /** The result of a finished command: its exit code and its output (stdout and stderr). */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Command of(Map<String, String> environment, String... argv) {
    return new Command(List.of(argv), Map.copyOf(environment));
  }

  /** Runs it, killing it after {@code timeout}. */
  Result run(Duration timeout) {
    try {
      Path output = Files.createTempFile("fetchq-command-", ".log");
      try {
        var builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          return new Result(-1, "timed out after " + timeout + ": " + read(output));
        }
        return new Result(process.exitValue(), read(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs it and fails unless it exits with 0. */
  String check(Duration timeout) {
    Result result = run(timeout);
    if (!result.ok()) {
      throw new IllegalStateException(
          String.join(" ", argv) + " exited with " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }

  private static String read(Path output) throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
