package dev.fetchq.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The file layout of stored downloads: {@code <root>/<last two hex digits of the job id>/<job id>},
 * with {@code <job id>.part} and {@code <job id>.part.meta} beside it while a download is
 * unfinished, and {@code <root>/.locks} for the per-job locks ({@link JobLocks}). The two-digit
 * shard keeps directories small (256 of them, filled evenly because job ids end in random bits).
 *
 * <p>Every worker shares the root, so a job's files are only touched under its {@link JobClaim}.
 */
@Component
public class FileStorage implements AutoCloseable {

  /** How often a claim held elsewhere is tried again while waiting for it. */
  private static final Duration POLL = Duration.ofMillis(100);

  private final Path root;
  private final JobLocks locks;

  FileStorage(StorageProperties properties) {
    this.root = properties.dir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
      this.locks = new JobLocks(root.resolve(".locks"));
    } catch (IOException e) {
      // Fail at startup rather than dead-lettering every job for a misconfigured volume.
      throw new UncheckedIOException("Storage directory " + root + " cannot be created", e);
    }
  }

  /**
   * The key a job's file is reported under: its path relative to the storage root, with {@code /}
   * separators on every platform.
   */
  public static String storageKey(UUID jobId) {
    String id = jobId.toString();
    return id.substring(id.length() - 2) + "/" + id;
  }

  /**
   * Claims the job's files for this delivery, waiting up to {@code wait} while another delivery (in
   * this or another worker) holds them.
   *
   * @return the claim, or empty when it was still held elsewhere after {@code wait}
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  public Optional<JobClaim> claim(UUID jobId, Duration wait)
      throws StorageException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      FileLock lock;
      try {
        lock = locks.tryLock(jobId);
      } catch (IOException e) {
        throw new StorageException("cannot lock job " + jobId + " in " + root, e);
      }
      if (lock != null) {
        String key = storageKey(jobId);
        return Optional.of(new JobClaim(jobId, key, root.resolve(key), locks, lock));
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
    }
  }

  @Override
  public void close() throws IOException {
    locks.close();
  }
}
