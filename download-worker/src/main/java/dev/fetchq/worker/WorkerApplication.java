package dev.fetchq.worker;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** The download worker: consumes jobs, streams files into storage, reports events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
