package dev.fetchq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository under test: every file the deploy tests read, resolved from its root. */
final class Repository {

  static final Path ROOT = locateRoot();

  private Repository() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    return read(path(relative));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String relative(Path file) {
    return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
  }

  private static Path locateRoot() {
    var configured = System.getProperty("fetchq.repository.root", "..");
    var root = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
      throw new IllegalStateException(
          "no docker-compose.yml in "
              + root
              + ": run the tests from the deploy-tests module or set -Dfetchq.repository.root");
    }
    return root;
  }
}
