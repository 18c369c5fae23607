package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The api-service killed with SIGKILL while jobs wait in its outbox and workers are finishing
 * downloads, then started again: the relay publishes what the dead process had not, the events the
 * workers sent meanwhile are projected, every job ends exactly once.
 */
class ApiRestartSystemIT {

  private static FetchqCluster fetchq;

  @BeforeAll
  static void startFetchq() {
    fetchq = FetchqCluster.get();
  }

  @Test
  void afterKillMinus9TheRestartedApiPublishesItsOutboxAndProjectsTheEventsItMissed() {
    var ledger = new JobLedger(fetchq);
    // Downloads of ~4 s that the workers finish while the api is dead.
    List<String> running = fetchq.startSlowDownloads("api-kill-running", 4, 800_000, 9_000, ledger);

    // Accepted (committed) but not yet published when the api dies: the broker is cut off.
    fetchq.apiToBroker.cut();
    int waiting = 50;
    try {
      for (int i = 0; i < waiting; i++) {
        var content = Content.random(4096, 9_100 + i);
        String path = "/api-kill-outbox-" + System.nanoTime() + "-" + i;
        fetchq.origin.route(path, Routes.content(content));
        ledger.submitted(fetchq.submit(path, content), content);
      }
      assertThat(fetchq.outboxRows())
          .as("jobs waiting in the outbox")
          .isGreaterThanOrEqualTo(waiting);
      fetchq.killApi();
    } finally {
      fetchq.apiToBroker.restore();
    }
    long outboxAtKill = fetchq.outboxRows();
    // The running downloads finish while no api is there; their events wait in the broker.
    InfrastructureFaultsSystemIT.sleep(Duration.ofSeconds(3));

    Instant restartedAt = Instant.now();
    fetchq.restartApi();
    Duration toReady = SteadyLoad.since(restartedAt);
    await().atMost(Duration.ofSeconds(60)).until(() -> fetchq.outboxRows() == 0);
    Duration toOutboxEmpty = SteadyLoad.since(restartedAt);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(ledger::allFinal);
    System.out.printf(
        "api kill -9 with %d rows in the outbox and %d downloads running: restarted api ready"
            + " after %d ms, outbox empty after %d ms, all %d jobs final after %d ms; %s%n",
        outboxAtKill,
        running.size(),
        toReady.toMillis(),
        toOutboxEmpty.toMillis(),
        ledger.size(),
        SteadyLoad.since(restartedAt).toMillis(),
        ledger.statusCounts());
    ledger.assertEverySucceededOnce();
  }
}
