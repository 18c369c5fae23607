package dev.fetchq.api.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Read access to the files workers store, by the storage key their events report. */
@EnableConfigurationProperties(StorageProperties.class)
@Component
public class Storage {

  private final Path root;

  Storage(StorageProperties properties) {
    this.root = properties.dir().toAbsolutePath().normalize();
  }

  /**
   * The stored file, if it is there.
   *
   * @throws IllegalStateException when the key points outside the storage root: a key comes from a
   *     worker's event, so this is a bug or tampering, never the client's fault
   */
  public Optional<Path> find(String storageKey) {
    if (storageKey == null || storageKey.isBlank()) {
      return Optional.empty();
    }
    Path file = root.resolve(storageKey).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalStateException(
          "Storage key " + storageKey + " points outside the storage directory");
    }
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
