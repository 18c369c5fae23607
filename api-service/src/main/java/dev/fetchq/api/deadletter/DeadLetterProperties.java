package dev.fetchq.api.deadletter;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dead-letter admin API.
 *
 * @param maxScan the most dead letters one request takes from the queue (and holds unacknowledged
 *     until it returns them); a listing or replay looks no further. At most 65535, the largest
 *     prefetch AMQP allows.
 * @param idleTimeout how long a scan waits for the broker's next message before it settles for what
 *     it has (only matters when messages are held by someone else, e.g. the management UI)
 * @param lockTimeout how long a request waits for another dead-letter request (of any replica) to
 *     finish before it answers 503
 * @param replayConfirmTimeout how long a replay waits for the broker to confirm the re-queued job
 *     messages before it answers; dead letters of jobs not confirmed by then stay in the queue
 */
@Validated
@ConfigurationProperties("fetchq.dead-letters")
public record DeadLetterProperties(
    @Min(1) @Max(65_535) @DefaultValue("10000") int maxScan,
    @NotNull @DefaultValue("500ms") Duration idleTimeout,
    @NotNull @DefaultValue("15s") Duration lockTimeout,
    @NotNull @DefaultValue("10s") Duration replayConfirmTimeout) {}
