package dev.fetchq.worker.job;

import dev.fetchq.messaging.ProcessName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How this worker process consumes jobs. ({@code fetchq.worker.allowed-hosts}, under the same
 * prefix, belongs to the destination guard: see the {@code destination} package.)
 *
 * @param id names this worker in events and dead letters; defaults to {@code <hostname>-<pid>}
 * @param concurrency how many jobs this process downloads at once (consumer threads); each holds at
 *     most {@code spring.rabbitmq.listener.simple.prefetch} unacknowledged messages
 * @param maxSize the largest file accepted, checked against {@code Content-Length} before the
 *     download and against the bytes received during it
 * @param progressInterval the shortest time between two progress events of one download; a download
 *     shorter than this reports none
 * @param shutdownTimeout how long a stopping worker lets running downloads finish before it hands
 *     them back to the broker; keep it at most {@code spring.lifecycle.timeout-per-shutdown-phase}
 *     and below the platform's grace period (compose {@code stop_grace_period}, Kubernetes {@code
 *     terminationGracePeriodSeconds})
 * @param publishFailureBackoff how long a consumer waits, when the broker would not confirm a job's
 *     events, before handing the job back for redelivery; it keeps a broker in trouble from being
 *     hammered and spreads the job's deliveries (bounded by the queue's delivery limit) over time
 * @param startedEventDelay how long an attempt runs before it is announced with a Started event
 *     (which makes the job RUNNING in the api); {@code 0} announces every attempt at once. An
 *     attempt that succeeds sooner is reported by its Succeeded event alone, which carries the
 *     start time: the job goes from QUEUED to SUCCEEDED directly and its attempt history is the
 *     same. This saves a broker message and a projection transaction per small job. A failed
 *     attempt is always announced before its failure
 */
@Validated
@ConfigurationProperties("fetchq.worker")
record WorkerProperties(
    @NotBlank String id,
    @Min(1) @Max(256) @DefaultValue("4") int concurrency,
    @NotNull @DefaultValue("1GB") DataSize maxSize,
    @NotNull @DefaultValue("2s") Duration progressInterval,
    @NotNull @DefaultValue("25s") Duration shutdownTimeout,
    @NotNull @DefaultValue("5s") Duration publishFailureBackoff,
    @NotNull @DurationMin(millis = 0) @DefaultValue("1s") Duration startedEventDelay) {

  WorkerProperties {
    if (id == null || id.isBlank()) {
      id = ProcessName.of("worker");
    }
  }
}
