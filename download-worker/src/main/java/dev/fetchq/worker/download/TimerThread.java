package dev.fetchq.worker.download;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The scheduler of a per-download timer (transfer limits, delayed {@code Started} events). */
public final class TimerThread {

  private TimerThread() {}

  /**
   * One daemon thread named {@code name}; a task cancelled because its download ended leaves the
   * queue at once instead of waking the thread when it would have run (thousands a second with
   * small files).
   */
  public static ScheduledThreadPoolExecutor start(String name) {
    var scheduler =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).daemon().factory());
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }
}
