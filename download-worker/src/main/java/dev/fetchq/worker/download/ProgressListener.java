package dev.fetchq.worker.download;

/** Told about every chunk stored, so it must be cheap; it decides itself when to report. */
@FunctionalInterface
public interface ProgressListener {

  /**
   * The origin's response has begun: its status line and headers arrived (after any redirects).
   * Called before any {@link #bytesStored}, whatever the status; again if the download has to ask a
   * second time (see {@link #restarted}).
   */
  default void responseStarted() {}

  /**
   * The download continues a partial file an earlier attempt left: its first {@code offset} bytes
   * are not downloaded again. Called before the first {@link #bytesStored}, which counts from
   * there.
   */
  default void resumed(long offset) {}

  /**
   * A partial file of {@code discardedBytes} could not be continued (no usable record, the origin
   * ignored the range or the file changed); the download starts again from byte 0.
   */
  default void restarted(long discardedBytes) {}

  /**
   * @param bytes bytes of the file stored so far, resumed ones included
   * @param totalBytes the file's size as the origin announced it, or {@code null}
   */
  void bytesStored(long bytes, Long totalBytes);
}
