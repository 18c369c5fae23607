package dev.fetchq.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTests {

  private static final UUID JOB = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

  @TempDir Path root;
  private FileStorage storage;

  @BeforeEach
  void open() {
    storage = new FileStorage(new StorageProperties(root));
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
  }

  @Test
  void theStorageKeyShardsByTheLastTwoHexDigitsOfTheJobId() {
    assertThat(FileStorage.storageKey(JOB)).isEqualTo("57/01890a5d-ac96-774b-bcce-b302099a8057");
  }

  @Test
  void aCommittedFileAppearsUnderItsKeyAndThePartFileAndItsRecordAreGone() throws Exception {
    String key;
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart("{\"what\":\"record\"}");
      assertThat(root.resolve("57/" + JOB + ".part")).exists();
      write(file, "hello ");
      // One write is not worth resuming: no record on disk yet.
      assertThat(root.resolve("57/" + JOB + ".part.meta")).doesNotExist();
      write(file, "world");
      assertThat(root.resolve("57/" + JOB + ".part.meta")).hasContent("{\"what\":\"record\"}");
      assertThat(root.resolve("57/" + JOB)).doesNotExist();
      key = file.commit();
    }

    assertThat(key).isEqualTo("57/" + JOB);
    assertThat(root.resolve(key)).hasContent("hello world");
    assertThat(jobFiles()).containsExactly("57/" + JOB);
  }

  @Test
  void aFileClosedWithoutCommitOrKeepLeavesNothing() throws Exception {
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart("record");
      write(file, "half a file");
    }

    assertThat(jobFiles()).isEmpty();
  }

  @Test
  void aKeptPartIsOpenedAgainWithItsBytesAndRecordAndContinues() throws Exception {
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart("etag v1");
      write(file, "first half, ");
      assertThat(file.keep()).isTrue();
    }

    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      assertThat(file.size()).isEqualTo(12);
      assertThat(file.resumeInfo()).hasValue("etag v1");
      try (InputStream existing = file.readBack()) {
        assertThat(existing.readAllBytes()).asString().isEqualTo("first half, ");
      }
      write(file, "second half");
      file.commit();
    }

    assertThat(root.resolve("57/" + JOB)).hasContent("first half, second half");
    assertThat(jobFiles()).containsExactly("57/" + JOB);
  }

  @Test
  void aPartThatCannotBeResumedIsNotKept() throws Exception {
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      // No record: nothing to resume with.
      file.restart(null);
      write(file, "bytes");
      assertThat(file.keep()).isFalse();
    }
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      // A record but no bytes: nothing to resume.
      file.restart("record");
      assertThat(file.keep()).isFalse();
    }

    assertThat(jobFiles()).isEmpty();
  }

  @Test
  void aKeptPartSurvivesAnInterruptedThread() throws Exception {
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart("record");
      write(file, "bytes before the worker stopped");
      Thread.currentThread().interrupt();
      try {
        assertThat(file.keep()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }

    assertThat(root.resolve("57/" + JOB + ".part")).hasContent("bytes before the worker stopped");
    assertThat(root.resolve("57/" + JOB + ".part.meta")).hasContent("record");
  }

  @Test
  void restartingEmptiesThePartAndReplacesTheRecord() throws Exception {
    Files.createDirectories(root.resolve("57"));
    Files.writeString(root.resolve("57/" + JOB + ".part"), "leftover of another representation");
    Files.writeString(root.resolve("57/" + JOB + ".part.meta"), "old record");

    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      assertThat(file.size()).isEqualTo(34);
      file.restart("new record");
      assertThat(file.size()).isZero();
      assertThat(file.resumeInfo()).hasValue("new record");
      write(file, "new");
      file.commit();
    }

    assertThat(root.resolve("57/" + JOB)).hasContent("new");
  }

  @Test
  void anEarlierFileIsReplacedByANewDownload() throws Exception {
    Files.createDirectories(root.resolve("57"));
    Files.writeString(root.resolve("57/" + JOB), "old content that is longer");

    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart(null);
      write(file, "new");
      file.commit();
    }

    assertThat(root.resolve("57/" + JOB)).hasContent("new");
  }

  @Test
  void discardingRemovesThePartAndItsRecord() throws Exception {
    try (JobClaim claim = claim();
        StagedFile file = claim.openPart()) {
      file.restart("record");
      write(file, "bytes");
      file.keep();
    }

    try (JobClaim claim = claim()) {
      claim.discardPart();
    }

    assertThat(jobFiles()).isEmpty();
  }

  @Test
  void aJobIsClaimedByOneDeliveryAtATime() throws Exception {
    UUID other = UUID.randomUUID();
    try (JobClaim first = claim()) {
      long start = System.nanoTime();
      assertThat(storage.claim(JOB, Duration.ofMillis(300))).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      // Other jobs are not held up.
      try (var second = storage.claim(other, Duration.ZERO).orElseThrow()) {
        assertThat(second.jobId()).isEqualTo(other);
      }
    }

    try (JobClaim again = storage.claim(JOB, Duration.ZERO).orElseThrow()) {
      assertThat(again.jobId()).isEqualTo(JOB);
    }
  }

  @Test
  void aWaitingDeliveryGetsTheClaimAsSoonAsItIsGivenUp() throws Exception {
    JobClaim first = claim();
    Thread.ofVirtual()
        .start(
            () -> {
              sleep(300);
              first.close();
            });

    var second = storage.claim(JOB, Duration.ofSeconds(5));
    assertThat(second).isPresent();
    second.get().close();
  }

  @Test
  void aClaimGivenUpByAnInterruptedThreadLeavesOtherClaimsHeld() throws Exception {
    UUID other = UUID.randomUUID();
    JobClaim held = storage.claim(other, Duration.ZERO).orElseThrow();
    try {
      JobClaim claim = claim();
      Thread.currentThread().interrupt();
      try {
        claim.close();
      } finally {
        Thread.interrupted();
      }
      // The lock file's channel survived the interrupt: the other claim is still exclusive.
      assertThat(storage.claim(other, Duration.ZERO)).isEmpty();
      assertThat(storage.claim(JOB, Duration.ZERO)).isPresent().get().satisfies(JobClaim::close);
    } finally {
      held.close();
    }
  }

  @Test
  void aStorageRootThatCannotBeCreatedFailsAtStartup() throws IOException {
    Path file = Files.writeString(root.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> new FileStorage(new StorageProperties(file.resolve("downloads"))))
        .hasMessageContaining("cannot be created");
  }

  @Test
  void aShardThatCannotBeCreatedIsAStorageException() throws Exception {
    Files.writeString(root.resolve("57"), "a file where the shard directory belongs");

    try (JobClaim claim = claim()) {
      assertThatThrownBy(claim::openPart).isInstanceOf(StorageException.class);
    }
  }

  private JobClaim claim() throws Exception {
    return storage.claim(JOB, Duration.ZERO).orElseThrow();
  }

  /** Files of jobs, relative to the root (the lock file aside). */
  private Stream<String> jobFiles() throws IOException {
    try (var files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(name -> !name.equals(".locks"))
          .toList()
          .stream();
    }
  }

  private static void write(StagedFile file, String text) throws StorageException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    file.write(bytes, 0, bytes.length);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
