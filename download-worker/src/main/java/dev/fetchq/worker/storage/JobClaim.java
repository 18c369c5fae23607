package dev.fetchq.worker.storage;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive right to a job's files in storage, held by one delivery of the job at a time across
 * all workers: only its holder reads, writes, commits or deletes the job's partial file. Closing it
 * gives the right up.
 */
public final class JobClaim implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobClaim.class);

  private final UUID jobId;
  private final String key;
  private final Path target;
  private final JobLocks locks;
  private final FileLock lock;
  private boolean closed;

  JobClaim(UUID jobId, String key, Path target, JobLocks locks, FileLock lock) {
    this.jobId = jobId;
    this.key = key;
    this.target = target;
    this.locks = locks;
    this.lock = lock;
  }

  public UUID jobId() {
    return jobId;
  }

  /**
   * Opens the job's partial file {@code <final path>.part}, creating it empty if there is none,
   * with what is known about the download it belongs to ({@link StagedFile#resumeInfo()}).
   */
  public StagedFile openPart() throws StorageException {
    checkOpen();
    return StagedFile.open(key, target, partPath(), metaPath());
  }

  /** Deletes the job's partial file and what was recorded about it, if they exist. */
  public void discardPart() throws StorageException {
    checkOpen();
    StagedFile.delete(partPath(), metaPath());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      locks.release(jobId, lock);
    } catch (IOException e) {
      // The lock stays with this process until it exits; later deliveries here or elsewhere find
      // the job busy and defer it. Nothing is lost, so this is reported, not thrown.
      log.warn("Job {}: releasing its storage lock failed: {}", jobId, e.toString());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("claim of job " + jobId + " already given up");
    }
  }

  private Path partPath() {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  private Path metaPath() {
    return target.resolveSibling(target.getFileName() + ".part.meta");
  }
}
