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
  private final ScheduledThreadPoolExecutor scheduler =
      TimerThread.start("fetchq-transfer-watchdog");

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
}
