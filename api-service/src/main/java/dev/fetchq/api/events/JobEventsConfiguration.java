package dev.fetchq.api.events;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listener container of {@link JobEventListener}: Boot's {@code
 * spring.rabbitmq.listener.simple} settings, with consumer-side batches, manual acks and no
 * observation per message.
 *
 * <p>Why no observation: one observation (a span and a timer) per event cost more CPU than
 * projecting the event. The log lines about an event still carry the worker's trace id ({@link
 * JobEventListener#traceOf}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventsProperties.class)
class JobEventsConfiguration {

  static final String CONTAINER_FACTORY = "jobEventsContainerFactory";

  @Bean(CONTAINER_FACTORY)
  SimpleRabbitListenerContainerFactory jobEventsContainerFactory(
      SimpleRabbitListenerContainerFactoryConfigurer configurer,
      ConnectionFactory connectionFactory,
      EventsProperties properties) {
    var factory = new SimpleRabbitListenerContainerFactory();
    configurer.configure(factory, connectionFactory);
    EventsProperties.Batch batch = properties.batch();
    factory.setBatchListener(true);
    factory.setConsumerBatchEnabled(true);
    factory.setBatchSize(batch.size());
    factory.setReceiveTimeout(batch.gap().toMillis());
    factory.setBatchReceiveTimeout(batch.maxWait().toMillis());
    // A full batch must fit in the prefetch; twice that keeps the next batch arriving meanwhile.
    factory.setPrefetchCount(2 * batch.size());
    factory.setConcurrentConsumers(properties.consumers());
    factory.setMaxConcurrentConsumers(properties.consumers());
    factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    factory.setObservationEnabled(false);
    return factory;
  }
}
