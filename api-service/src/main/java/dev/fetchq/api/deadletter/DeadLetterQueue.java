package dev.fetchq.api.deadletter;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens {@link DeadLetterSession}s. Each runs on a short-lived connection of its own, built from
 * the application's broker settings (addresses, credentials, vhost, TLS) but separate from the
 * listeners' and the publishers' connections: its consumer holds many unacknowledged messages for a
 * moment and must neither share their channel limits nor survive a failure by recovery (a recovered
 * channel would have lost its delivery tags).
 */
@Component
class DeadLetterQueue {

  private final ConnectionFactory factory;
  private final List<Address> addresses;
  private final DeadLetterReader reader;
  private final DeadLetterProperties properties;

  DeadLetterQueue(
      RabbitConnectionFactoryBeanConfigurer configurer,
      RabbitConnectionDetails connection,
      JsonMapper json,
      DeadLetterProperties properties)
      throws Exception {
    var bean = new RabbitConnectionFactoryBean();
    configurer.configure(bean);
    bean.setAutomaticRecoveryEnabled(false);
    bean.setTopologyRecoveryEnabled(false);
    bean.afterPropertiesSet();
    this.factory = bean.getObject();
    this.addresses =
        connection.getAddresses().stream().map(a -> new Address(a.host(), a.port())).toList();
    this.reader = new DeadLetterReader(json);
    this.properties = properties;
  }

  DeadLetterSession open() throws IOException, TimeoutException {
    var amqp = factory.newConnection(addresses, "fetchq-api dead-letter admin");
    try {
      return new DeadLetterSession(amqp, reader, properties.idleTimeout());
    } catch (IOException | RuntimeException e) {
      amqp.abort();
      throw e;
    }
  }
}
