package dev.fetchq.worker.job;

import dev.fetchq.model.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The retry tiers: their wait queues, declared here because the tiers are this worker's
 * configuration (the messaging module declares the fixed topology, including the retry exchange),
 * and the policy that picks one.
 */
@Configuration(proxyBeanMethods = false)
class RetryConfiguration {

  @Bean
  FailurePolicy failurePolicy(RetryProperties properties) {
    return new FailurePolicy(properties, () -> ThreadLocalRandom.current().nextDouble());
  }

  @Bean
  Declarables retryTierQueues(RetryProperties properties) {
    var retryExchange = new DirectExchange(Topology.RETRY_EXCHANGE);
    List<Declarable> declarables = new ArrayList<>();
    for (Duration tier : properties.tiers()) {
      Topology.Queue spec = Topology.retryQueue(tier);
      Queue queue = QueueBuilder.durable(spec.name()).withArguments(spec.arguments()).build();
      declarables.add(queue);
      declarables.add(BindingBuilder.bind(queue).to(retryExchange).with(spec.routingKey()));
    }
    return new Declarables(declarables);
  }
}
