package dev.fetchq.worker.events;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/** Reports what the worker does to the api-service, through the events exchange. */
@Component
public class JobEventPublisher {

  private final ConfirmedPublisher publisher;
  private final MessageConverter converter;

  JobEventPublisher(ConfirmedPublisher publisher, MessageConverter converter) {
    this.publisher = publisher;
    this.converter = converter;
  }

  /**
   * Publishes {@code event} and returns once the broker has confirmed it (acked, not returned).
   *
   * @throws ConfirmedPublisher.PublishFailedException when the broker did not take it
   */
  public void publish(JobEvent event) {
    publisher.publish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, message(event));
  }

  /**
   * Sends {@code event} without waiting for the broker's confirm: await the returned confirmation
   * before relying on the event (before acknowledging the job it reports on).
   */
  public ConfirmedPublisher.Confirmation send(JobEvent event) {
    return publisher.send(Topology.EVENTS_EXCHANGE, Topology.EVENTS_ROUTING_KEY, message(event));
  }

  private Message message(JobEvent event) {
    var properties = new MessageProperties();
    // Lets the consumer correlate events without parsing the body.
    properties.setCorrelationId(event.jobId().toString());
    return converter.toMessage(event, properties);
  }
}
