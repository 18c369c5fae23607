package dev.fetchq.worker.job;

import dev.fetchq.worker.cancel.CancellationProperties;
import dev.fetchq.worker.cancel.ControlStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Starts the job listener only once this process has read every cancellation published before it
 * started, so that it never downloads a job that was cancelled while it was down. It runs before
 * the application reports itself ready (readiness goes UP after the runners), and a worker that
 * cannot catch up in time fails to start instead of taking jobs blind.
 */
@Component
class JobConsumerStarter implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(JobConsumerStarter.class);

  private final ControlStream controlStream;
  private final RabbitListenerEndpointRegistry listeners;
  private final CancellationProperties properties;

  JobConsumerStarter(
      ControlStream controlStream,
      RabbitListenerEndpointRegistry listeners,
      CancellationProperties properties) {
    this.controlStream = controlStream;
    this.listeners = listeners;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
    if (!controlStream.awaitCaughtUp(properties.catchUpTimeout())) {
      throw new IllegalStateException(
          "The control stream could not be read up to this worker's marker within "
              + properties.catchUpTimeout()
              + " (fetchq.cancellation.catch-up-timeout); not taking jobs without knowing which"
              + " were cancelled");
    }
    var container = listeners.getListenerContainer(JobListener.ID);
    if (container == null) {
      throw new IllegalStateException("no listener container " + JobListener.ID);
    }
    container.start();
    log.info("Cancellations read; consuming jobs");
  }
}
