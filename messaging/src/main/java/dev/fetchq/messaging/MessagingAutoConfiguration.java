package dev.fetchq.messaging;

import dev.fetchq.model.Topology;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires fetchq's messaging into a Boot application that has {@code spring-boot-starter-amqp}: the
 * topology, the JSON converter, confirmed publishing on a connection of its own, and mandatory
 * routing.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
    beforeName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

  /**
   * Correlated confirms and returns are what make a publish trustworthy, so they are not left to
   * properties that a deployment could forget: every connection factory gets them.
   */
  @Bean
  static BeanPostProcessor fetchqPublisherConfirms() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof CachingConnectionFactory factory) {
          factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
          factory.setPublisherReturns(true);
        }
        return bean;
      }
    };
  }

  @Bean
  RabbitTemplateCustomizer fetchqRabbitTemplate() {
    return template -> {
      template.setMandatory(true);
      // Returns are read from each publish's CorrelationData (ConfirmedPublisher); this callback
      // only
      // keeps the template from logging every returned message as having no callback.
      template.setReturnsCallback(returned -> {});
      // A publisher blocked by broker flow control must not block the consumers' connection.
      template.setUsePublisherConnection(true);
    };
  }

  @Bean
  JacksonJsonMessageConverter fetchqMessageConverter(JsonMapper jsonMapper) {
    // A failure class added by a newer worker reads as UNKNOWN rather than poisoning the event.
    JsonMapper wireMapper =
        jsonMapper
            .rebuild()
            .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();
    var converter = new JacksonJsonMessageConverter(wireMapper, "dev.fetchq.model");
    // Read the listener's declared type (JobEvent is a sealed interface whose JSON names its
    // subtype),
    // never a class name taken from a header.
    converter.setAlwaysConvertToInferredType(true);
    return converter;
  }

  @Bean
  ConfirmedPublisher confirmedPublisher(RabbitTemplate template, MessagingProperties properties) {
    return new ConfirmedPublisher(template, properties.confirmTimeout());
  }

  @Bean
  Declarables fetchqTopology() {
    List<Declarable> declarables = new ArrayList<>();
    for (Topology.Exchange exchange : Topology.EXCHANGES) {
      declarables.add(new DirectExchange(exchange.name(), true, false));
    }
    for (Topology.Queue spec : Topology.QUEUES) {
      Queue queue = QueueBuilder.durable(spec.name()).withArguments(spec.arguments()).build();
      declarables.add(queue);
      Binding binding =
          BindingBuilder.bind(queue)
              .to(new DirectExchange(spec.exchange()))
              .with(spec.routingKey());
      declarables.add(binding);
    }
    return new Declarables(declarables);
  }
}
