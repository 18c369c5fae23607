package dev.fetchq.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTests {

  @TempDir Path root;

  @Test
  void findsAStoredFileByItsKey() throws IOException {
    Path file = Files.createDirectories(root.resolve("57")).resolve("job");
    Files.writeString(file, "content");

    assertThat(storage().find("57/job")).contains(file.toAbsolutePath().normalize());
  }

  @Test
  void aMissingFileIsNotFound() {
    assertThat(storage().find("57/missing")).isEmpty();
    assertThat(storage().find(null)).isEmpty();
  }

  @Test
  void aDirectoryIsNotAStoredFile() throws IOException {
    Files.createDirectories(root.resolve("57"));

    assertThat(storage().find("57")).isEmpty();
  }

  @Test
  void aKeyCannotReachOutsideTheStorageDirectory() {
    assertThatIllegalStateException().isThrownBy(() -> storage().find("../outside"));
    assertThatIllegalStateException().isThrownBy(() -> storage().find("57/../../outside"));
    assertThatIllegalStateException().isThrownBy(() -> storage().find("/etc/passwd"));
  }

  private Storage storage() {
    return new Storage(new StorageProperties(root));
  }
}
