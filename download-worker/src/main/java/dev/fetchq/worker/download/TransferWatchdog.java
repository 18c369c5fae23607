package dev.fetchq.worker.download;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * One thread that checks the time limits of every running download of this process ({@code
 * fetchq.download.max-duration}, {@code min-speed} over {@code min-speed-window}) and aborts those
 * that break one.
 */
@Component
class TransferWatchdog implements AutoCloseable {

  private final DownloadProperties properties;
  private final ScheduledThreadPoolExecutor scheduler = scheduler();

  TransferWatchdog(DownloadProperties properties) {
    this.properties = properties;
  }

  /** Starts watching a download that starts now; close the watch when it is over. */
  TransferWatch watch() {
    var limits =
        new TransferLimits(
            properties.maxDuration(),
            properties.minSpeed().toBytes(),
            properties.minSpeedWindow(),
            System.nanoTime());
    var watch = new TransferWatch(limits);
    long tick = limits.tick().toMillis();
    watch.scheduledAs(
        scheduler.scheduleAtFixedRate(watch::check, tick, tick, TimeUnit.MILLISECONDS));
    return watch;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /**
   * One thread; a task cancelled because its download ended leaves the queue at once instead of
   * waking the thread when it would have run (thousands a second with small files).
   */
  private static ScheduledThreadPoolExecutor scheduler() {
    var scheduler =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("fetchq-transfer-watchdog").daemon().factory());
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }
}
