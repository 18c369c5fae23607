package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.OriginServer;
import dev.fetchq.testsupport.Routes;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two deliveries of one job at the same time (a duplicate message; a redelivery while the first
 * worker still runs): only one downloads. The other waits a moment, then waits in a retry tier as
 * the same attempt and comes back once the first is done; the file is never written by both.
 */
class ConcurrentDeliveriesIntegrationTests extends WorkerIntegrationTestSupport {

  @Test
  void aSecondDeliveryOfAJobBeingDownloadedIsDeferredNotRunAlongside() {
    var content = Content.random(60_000, 100);
    // The first download takes about 6 s; later ones are quick.
    origin.route(
        "/concurrent/twice.bin",
        Routes.times(
            1, Routes.rangeable(content, "v1").throttled(10_000), Routes.rangeable(content, "v1")));
    double requeuedBefore = jobsCount("requeued");
    UUID jobId = UUID.randomUUID();
    String url = origin.url("/concurrent/twice.bin").toString();

    submit(jobId, url, content.sha256(), null, null);
    submit(jobId, url, content.sha256(), null, null);

    var first = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    var second = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();

    assertThat(first.sha256()).isEqualTo(content.sha256());
    assertThat(second.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    List<OriginServer.Request> requests = origin.history("/concurrent/twice.bin");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).arrivedAt())
        .as("the second download began after the first ended")
        .isAfterOrEqualTo(requests.get(0).endedAt());
    assertThat(jobsCount("requeued")).isGreaterThanOrEqualTo(requeuedBefore + 1);
    assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
    assertThat(partFile(jobId)).doesNotExist();
  }
}
