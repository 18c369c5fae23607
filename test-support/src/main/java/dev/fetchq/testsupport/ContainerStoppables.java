package dev.fetchq.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/** The stoppable services as containers of their own, for machines with Docker. */
final class ContainerStoppables {

  private ContainerStoppables() {}

  static StoppableRabbit rabbit() {
    var container = new RabbitMQContainer(DockerImageName.parse(ContainerServices.RABBITMQ_IMAGE));
    container.start();
    var endpoint =
        new RabbitEndpoint(
            container.getHost(),
            container.getAmqpPort(),
            container.getAdminUsername(),
            container.getAdminPassword(),
            "/",
            container.getHttpUrl());
    return new StoppableRabbit() {
      @Override
      public RabbitEndpoint endpoint() {
        return endpoint;
      }

      @Override
      public void stopApp() {
        exec("rabbitmqctl", "stop_app");
      }

      @Override
      public void startApp() {
        exec("rabbitmqctl", "start_app");
        exec("rabbitmqctl", "await_startup");
      }

      @Override
      public void close() {
        container.stop();
      }

      private void exec(String... command) {
        try {
          ExecResult result = container.execInContainer(command);
          if (result.getExitCode() != 0) {
            throw new IllegalStateException(
                String.join(" ", command) + " failed: " + result.getStderr());
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /**
   * A container stopped and started again with {@code docker stop}/{@code start}, keeping its data.
   * Docker may map it to another host port when it starts again, so clients reach it through a
   * {@link TcpProxy} that follows it.
   */
  static StoppablePostgres postgres() {
    var container =
        new PostgreSQLContainer(DockerImageName.parse(ContainerServices.POSTGRES_IMAGE));
    container.start();
    DockerClient docker = DockerClientFactory.instance().client();
    var proxy = TcpProxy.start(container.getHost(), container.getMappedPort(5432));
    String jdbcUrl =
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + container.getDatabaseName();
    var endpoint = new PostgresEndpoint(jdbcUrl, container.getUsername(), container.getPassword());
    return new StoppablePostgres() {
      @Override
      public PostgresEndpoint endpoint() {
        return endpoint;
      }

      @Override
      public void stop() {
        proxy.cut();
        docker.stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
      }

      @Override
      public void start() {
        docker.startContainerCmd(container.getContainerId()).exec();
        var bindings =
            docker
                .inspectContainerCmd(container.getContainerId())
                .exec()
                .getNetworkSettings()
                .getPorts()
                .getBindings()
                .get(ExposedPort.tcp(5432));
        proxy.retarget(container.getHost(), Integer.parseInt(bindings[0].getHostPortSpec()));
        proxy.restore();
        awaitConnection(endpoint, Duration.ofSeconds(60));
      }

      @Override
      public void close() {
        proxy.close();
        container.stop();
      }
    };
  }

  private static void awaitConnection(PostgresEndpoint endpoint, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (var connection =
          DriverManager.getConnection(
              endpoint.jdbcUrl(), endpoint.username(), endpoint.password())) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("PostgreSQL did not come back within " + timeout, e);
        }
        try {
          Thread.sleep(300);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }
}
