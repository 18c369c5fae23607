package dev.fetchq.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @TempDir Path root;

  @Test
  void theStorageKeyShardsByTheLastTwoHexDigitsOfTheJobId() {
    assertThat(FileStorage.storageKey(JOB)).isEqualTo("57/01890a5d-ac96-774b-bcce-b302099a8057");
  }

  @Test
  void aCommittedFileAppearsUnderItsKeyAndThePartFileIsGone() throws IOException {
    var storage = new FileStorage(new StorageProperties(root));

    String key;
    try (StagedFile file = storage.stage(JOB)) {
      assertThat(root.resolve("57/" + JOB + ".part")).exists();
      assertThat(root.resolve("57/" + JOB)).doesNotExist();
      write(file, "hello ");
      write(file, "world");
      key = file.commit();
    }

    assertThat(key).isEqualTo("57/" + JOB);
    assertThat(root.resolve(key)).hasContent("hello world");
    assertThat(root.resolve("57/" + JOB + ".part")).doesNotExist();
  }

  @Test
  void aFileClosedWithoutCommitLeavesNothing() throws IOException {
    var storage = new FileStorage(new StorageProperties(root));

    try (StagedFile file = storage.stage(JOB)) {
      write(file, "half a file");
    }

    try (var files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void aNewDownloadReplacesAnEarlierFileAndAnEarlierPartFile() throws IOException {
    var storage = new FileStorage(new StorageProperties(root));
    Files.createDirectories(root.resolve("57"));
    Files.writeString(root.resolve("57/" + JOB), "old content that is longer");
    Files.writeString(root.resolve("57/" + JOB + ".part"), "leftover of a crashed attempt");

    try (StagedFile file = storage.stage(JOB)) {
      write(file, "new");
      file.commit();
    }

    assertThat(root.resolve("57/" + JOB)).hasContent("new");
  }

  @Test
  void aStorageRootThatCannotBeCreatedFailsAtStartup() throws IOException {
    Path file = Files.writeString(root.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> new FileStorage(new StorageProperties(file.resolve("downloads"))))
        .hasMessageContaining("cannot be created");
  }

  @Test
  void aShardThatCannotBeCreatedIsAStorageException() throws IOException {
    var storage = new FileStorage(new StorageProperties(root));
    Files.writeString(root.resolve("57"), "a file where the shard directory belongs");

    assertThatThrownBy(() -> storage.stage(JOB)).isInstanceOf(StorageException.class);
  }

  private static void write(StagedFile file, String text) throws StorageException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    file.write(bytes, 0, bytes.length);
  }
}
