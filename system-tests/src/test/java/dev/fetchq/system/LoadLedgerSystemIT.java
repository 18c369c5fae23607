package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A load run through the api-service and two workers (as processes) with the books checked at the
 * end: every accepted job in exactly one final state, every file stored once with the right
 * checksum, every file fetched from the origin exactly once. The job count is {@code
 * -Dfetchq.load.jobs} (default 10,000).
 */
class LoadLedgerSystemIT {

  private static final int JOBS = Integer.getInteger("fetchq.load.jobs", 10_000);
  private static final int CONCURRENT_SUBMISSIONS = 16;
  private static final int FILE_SIZE = 4096;

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void everyJobOfALoadRunSucceedsExactlyOnceWithTheRightFile() throws Exception {
    String run = "/load-" + System.nanoTime() + "/";
    List<Content> contents = new ArrayList<>(JOBS);
    for (int i = 0; i < JOBS; i++) {
      var content = Content.random(FILE_SIZE, 1_000_000L + i);
      contents.add(content);
      fetchq.origin.route(run + i, Routes.content(content));
    }
    var ledger = new JobLedger(fetchq);
    var rejected = new AtomicInteger();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    long start = System.nanoTime();
    var inFlight = new Semaphore(CONCURRENT_SUBMISSIONS);
    try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < JOBS; i++) {
        inFlight.acquire();
        int n = i;
        submitters.execute(
            () -> {
              try {
                var content = contents.get(n);
                var response =
                    fetchq.client.submit(fetchq.origin.url(run + n).toString(), content.sha256());
                if (response.status() == 202) {
                  ledger.submitted(response.body().get("id").asString(), content);
                } else {
                  rejected.incrementAndGet();
                  errors.add(response.toString());
                }
              } catch (RuntimeException e) {
                errors.add(e.toString());
              } finally {
                inFlight.release();
              }
            });
      }
    }
    double submitSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(errors).as("submissions not accepted").isEmpty();

    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(500))
        .until(ledger::allFinal);
    double totalSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "load run: %d jobs of %d bytes accepted in %.1f s (%.0f POST/s), all final after %.1f s"
            + " (%.0f jobs/s end to end); %s%n",
        JOBS,
        FILE_SIZE,
        submitSeconds,
        JOBS / submitSeconds,
        totalSeconds,
        JOBS / totalSeconds,
        ledger.statusCounts());

    assertThat(ledger.size()).isEqualTo(JOBS);
    ledger.assertEverySucceededOnce();
    List<String> refetched = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      int requests = fetchq.origin.requests(run + i);
      if (requests != 1) {
        refetched.add(run + i + " fetched " + requests + " times");
      }
    }
    assertThat(refetched).as("files not fetched exactly once").isEmpty();
  }
}
