package dev.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import dev.fetchq.testsupport.Content;
import dev.fetchq.testsupport.Routes;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;

/**
 * When the broker will not take the worker's events, the job is neither acknowledged (lost) nor
 * rejected (dead-lettered): it is handed back, and completes once events can be published again.
 */
class UnconfirmedOutcomeIntegrationTests extends WorkerIntegrationTestSupport {

  private static final Binding EVENTS_BINDING =
      BindingBuilder.bind(new Queue(Topology.EVENTS_QUEUE))
          .to(new DirectExchange(Topology.EVENTS_EXCHANGE))
          .with(Topology.EVENTS_ROUTING_KEY);

  @Test
  void aJobWhoseEventsAreUnroutableIsRedeliveredUntilTheyCanBePublished() {
    var content = Content.random(10_000, 20);
    origin.route("/patient.bin", Routes.content(content));
    double requeuedBefore = jobsCount("requeued");

    admin.removeBinding(EVENTS_BINDING);
    UUID jobId;
    try {
      jobId = submit("/patient.bin", null);

      // Started is returned as unroutable (found out while the file downloads), so the job keeps
      // coming back instead of being acknowledged or dead-lettered.
      await().atMost(TIMEOUT).until(() -> jobsCount("requeued") >= requeuedBefore + 2);
      assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
      assertThat(storedFile(jobId)).as("stored, but never reported").exists();
    } finally {
      admin.declareBinding(EVENTS_BINDING);
    }

    var succeeded = (JobEvent.Succeeded) eventsUntilFinished(jobId).getLast();
    assertThat(succeeded.sha256()).isEqualTo(content.sha256());
    assertThat(storedFile(jobId)).hasBinaryContent(content.bytes());
    assertThat(queueDepth(Topology.DEAD_LETTER_QUEUE)).isZero();
  }
}
