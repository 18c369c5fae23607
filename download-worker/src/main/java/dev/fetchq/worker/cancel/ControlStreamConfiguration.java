package dev.fetchq.worker.cancel;

import dev.fetchq.model.Topology;
import java.util.Map;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The control stream's own listener container, separate from the job listener's. */
@Configuration(proxyBeanMethods = false)
class ControlStreamConfiguration {

  /** How many stream messages may be in flight to this consumer; they are tiny. */
  private static final int PREFETCH = 100;

  @Bean
  SimpleMessageListenerContainer controlStreamContainer(
      ConnectionFactory connectionFactory, ControlStream controlStream) {
    var container = new SimpleMessageListenerContainer(connectionFactory);
    container.setListenerId(ControlStream.LISTENER_ID);
    container.setQueueNames(Topology.CONTROL_STREAM);
    // Every consumer, including one restarted after a dropped connection, reads the stream from
    // its first retained message: nothing published while it was away is skipped.
    container.setConsumerArguments(Map.of("x-stream-offset", "first"));
    // A stream consumed over AMQP 0.9.1 requires a QoS (prefetch) and acknowledgements.
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(PREFETCH);
    container.setConcurrentConsumers(1);
    container.setMessageListener(controlStream);
    // The job listener (RabbitListenerEndpointRegistry) is in phase Integer.MAX_VALUE: this one
    // starts before it and stops after it, so downloads still running while the worker stops can
    // be cancelled.
    container.setPhase(Integer.MAX_VALUE - 1);
    return container;
  }
}
