package dev.fetchq.worker.download;

import dev.fetchq.worker.storage.JobClaim;
import java.util.UUID;

/**
 * This delivery's exclusive right to download its job (see {@link Downloader#claim}): no other
 * delivery, on any worker, touches the job's files while it is held. Close it when the attempt is
 * over.
 */
public final class DownloadClaim implements AutoCloseable {

  private final JobClaim storage;

  DownloadClaim(JobClaim storage) {
    this.storage = storage;
  }

  public UUID jobId() {
    return storage.jobId();
  }

  JobClaim storage() {
    return storage;
  }

  @Override
  public void close() {
    storage.close();
  }
}
