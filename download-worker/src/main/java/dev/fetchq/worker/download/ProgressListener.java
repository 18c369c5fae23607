package dev.fetchq.worker.download;

/** Told about every chunk stored, so it must be cheap; it decides itself when to report. */
@FunctionalInterface
public interface ProgressListener {

  /**
   * The origin's response has begun: its status line and headers arrived (after any redirects).
   * Called once, before any {@link #bytesStored}, whatever the status.
   */
  default void responseStarted() {}

  /**
   * @param bytes bytes stored so far
   * @param totalBytes the size the origin announced, or {@code null}
   */
  void bytesStored(long bytes, Long totalBytes);
}
