package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.worker.cancel.CancellationRegistry;
import dev.fetchq.worker.cancel.ControlStream;
import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.SmartMessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job listener's container settings that Boot has no properties for, and the control stream
 * that gates it.
 */
@Configuration(proxyBeanMethods = false)
class JobListenerConfiguration {

  /**
   * Built here rather than in the cancellation package because its markers carry this worker's id.
   */
  @Bean
  ControlStream controlStream(
      CancellationRegistry registry,
      ConfirmedPublisher publisher,
      SmartMessageConverter converter,
      WorkerProperties properties,
      Clock clock) {
    return new ControlStream(registry, publisher, converter, properties.id(), clock);
  }

  @Bean
  ContainerCustomizer<SimpleMessageListenerContainer> jobListenerContainerCustomizer(
      WorkerProperties properties,
      WorkerMetrics metrics,
      ObjectProvider<LifecycleProperties> lifecycle) {
    checkShutdownOrder(properties.shutdownTimeout(), lifecycle.getIfAvailable());
    var errorHandler = new JobListenerErrorHandler(metrics);
    return container -> {
      // How long stop() waits for running downloads; then their messages return to the queue.
      container.setShutdownTimeout(properties.shutdownTimeout().toMillis());
      if (JobListener.ID.equals(container.getListenerId())) {
        container.setConcurrentConsumers(properties.concurrency());
        container.setErrorHandler(errorHandler);
        // Also in application.yml; enforced here because a requeueing job listener loops forever,
        // so it is not left to a property a deployment could override.
        container.setDefaultRequeueRejected(false);
      }
    };
  }

  /**
   * The container must give up waiting before Spring stops waiting for it, or messages of downloads
   * still running when the process dies are returned only by the broker noticing.
   */
  static void checkShutdownOrder(Duration shutdownTimeout, LifecycleProperties lifecycle) {
    if (lifecycle != null
        && shutdownTimeout.compareTo(lifecycle.getTimeoutPerShutdownPhase()) > 0) {
      throw new IllegalStateException(
          "fetchq.worker.shutdown-timeout ("
              + shutdownTimeout
              + ") must not exceed spring.lifecycle.timeout-per-shutdown-phase ("
              + lifecycle.getTimeoutPerShutdownPhase()
              + ")");
    }
  }
}
