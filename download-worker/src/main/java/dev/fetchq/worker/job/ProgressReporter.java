package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher.PublishFailedException;
import dev.fetchq.model.JobEvent;
import dev.fetchq.worker.download.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the per-chunk callbacks of one download into a Progress event at most every {@code
 * interval} (none at all for a download shorter than that) and into the bytes counter (bytes
 * actually received: not those a resumed download found in storage), tells {@code onResponse} when
 * the origin's first response began (time to first byte), and {@code partialFiles} whether a
 * partial file was continued or discarded.
 */
final class ProgressReporter implements ProgressListener {

  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final JobDelivery delivery;
  private final String worker;
  private final Clock clock;
  private final long intervalMillis;
  private final Consumer<JobEvent> publisher;
  private final LongConsumer bytesCounter;
  private final Runnable onResponse;
  private final PartialFiles partialFiles;
  private long lastReportMillis;
  private long lastBytes;
  private boolean responded;

  /** Told what became of a partial file an earlier attempt left. */
  @FunctionalInterface
  interface PartialFiles {
    /**
     * @param continued {@code true} when the download continued it with a range request, {@code
     *     false} when it was discarded and the file is downloaded again
     */
    void partialFile(boolean continued);
  }

  ProgressReporter(
      JobDelivery delivery,
      String worker,
      Clock clock,
      Duration interval,
      Instant startedAt,
      Consumer<JobEvent> publisher,
      LongConsumer bytesCounter,
      Runnable onResponse,
      PartialFiles partialFiles) {
    this.delivery = delivery;
    this.worker = worker;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.publisher = publisher;
    this.bytesCounter = bytesCounter;
    this.onResponse = onResponse;
    this.partialFiles = partialFiles;
    this.lastReportMillis = startedAt.toEpochMilli();
  }

  @Override
  public void responseStarted() {
    if (!responded) {
      responded = true;
      onResponse.run();
    }
  }

  @Override
  public void resumed(long offset) {
    lastBytes = offset;
    partialFiles.partialFile(true);
  }

  @Override
  public void restarted(long discardedBytes) {
    lastBytes = 0;
    partialFiles.partialFile(false);
  }

  @Override
  public void bytesStored(long bytes, Long totalBytes) {
    bytesCounter.accept(bytes - lastBytes);
    lastBytes = bytes;
    long now = clock.millis();
    if (now - lastReportMillis < intervalMillis) {
      return;
    }
    lastReportMillis = now;
    var event =
        new JobEvent.Progress(
            delivery.jobId(),
            delivery.attempt(),
            worker,
            Instant.ofEpochMilli(now),
            bytes,
            totalBytes);
    try {
      publisher.accept(event);
    } catch (PublishFailedException e) {
      // Progress is advisory: a lost one only makes the status less fresh until the next. Failing
      // the download for it would throw away the work; if the broker is really in trouble, the
      // outcome event cannot be confirmed either and the job is handed back then.
      log.warn("Job {}: progress event not confirmed: {}", delivery.jobId(), e.getMessage());
    }
  }
}
