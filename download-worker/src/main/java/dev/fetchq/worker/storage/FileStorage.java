package dev.fetchq.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The file layout of stored downloads: {@code <root>/<last two hex digits of the job id>/<job id>}.
 * The two-digit shard keeps directories small (256 of them, filled evenly because job ids end in
 * random bits).
 */
@Component
public class FileStorage {

  private final Path root;

  FileStorage(StorageProperties properties) {
    this.root = properties.dir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
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
   * Opens {@code <final path>.part} for a fresh download of the job's file, replacing any leftover
   * of an earlier attempt. Nothing is visible under the final path until {@link
   * StagedFile#commit()}.
   */
  public StagedFile stage(UUID jobId) throws StorageException {
    String key = storageKey(jobId);
    Path target = root.resolve(key);
    return StagedFile.open(key, target, target.resolveSibling(target.getFileName() + ".part"));
  }
}
