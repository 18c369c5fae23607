package dev.fetchq.system;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobs submitted at a steady rate in the background while a test breaks something, each answer
 * recorded. Every {@code slowEvery}-th file trickles for about a second, so that downloads are in
 * flight whenever the fault hits; the others are 4 KiB. Accepted jobs go into the {@link
 * JobLedger}.
 */
final class SteadyLoad implements AutoCloseable {

  /** One submission: when it was sent and what the api answered (status, or -1 if it failed). */
  record Submission(Instant sentAt, int status, String detail) {}

  private final FetchqCluster fetchq;
  private final JobLedger ledger;
  private final String prefix = "/steady-" + System.nanoTime() + "/";
  private final List<Submission> submissions = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sequence = new AtomicInteger();
  private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread ticker;
  private volatile boolean running = true;

  private SteadyLoad(FetchqCluster fetchq, JobLedger ledger, int perSecond, int slowEvery) {
    this.fetchq = fetchq;
    this.ledger = ledger;
    long intervalNanos = 1_000_000_000L / perSecond;
    this.ticker =
        Thread.ofPlatform()
            .name("steady-load")
            .start(
                () -> {
                  long next = System.nanoTime();
                  while (running) {
                    int n = sequence.getAndIncrement();
                    requests.execute(() -> submitOne(n, n % slowEvery == slowEvery - 1));
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }
                });
  }

  static SteadyLoad start(FetchqCluster fetchq, JobLedger ledger, int perSecond, int slowEvery) {
    return new SteadyLoad(fetchq, ledger, perSecond, slowEvery);
  }

  private void submitOne(int n, boolean slow) {
    var content = Content.random(slow ? 64 * 1024 : 4096, 7_000_000L + n);
    String path = prefix + n;
    fetchq.origin.route(
        path,
        slow ? Routes.rangeable(content, "v1").throttled(64 * 1024) : Routes.content(content));
    Instant sentAt = Instant.now();
    try {
      var response = fetchq.client.submit(fetchq.origin.url(path).toString(), content.sha256());
      if (response.status() == 202) {
        ledger.submitted(response.body().get("id").asString(), content);
      }
      submissions.add(new Submission(sentAt, response.status(), String.valueOf(response.body())));
    } catch (RuntimeException e) {
      submissions.add(new Submission(sentAt, -1, e.toString()));
    }
  }

  /** Stops submitting and waits for the requests in flight. */
  @Override
  public void close() {
    running = false;
    ticker.interrupt();
    try {
      ticker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    requests.close();
  }

  List<Submission> submissions() {
    return List.copyOf(submissions);
  }

  /** Submissions sent between {@code from} and {@code to}. */
  List<Submission> sentBetween(Instant from, Instant to) {
    return submissions().stream()
        .filter(s -> !s.sentAt().isBefore(from) && s.sentAt().isBefore(to))
        .toList();
  }

  /** How many files were fetched from the origin more than once. */
  long fetchedMoreThanOnce() {
    int count = sequence.get();
    long more = 0;
    for (int n = 0; n < count; n++) {
      if (fetchq.origin.requests(prefix + n) > 1) {
        more++;
      }
    }
    return more;
  }

  static Duration since(Instant instant) {
    return Duration.between(instant, Instant.now());
  }
}
