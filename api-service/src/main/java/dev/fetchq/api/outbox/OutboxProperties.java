package dev.fetchq.api.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay.
 *
 * @param pollInterval how often the relay looks for messages when nothing woke it: it is woken
 *     right after a commit in this process, so polling only matters for messages written by other
 *     replicas or left by a crash
 * @param batchSize how many messages one transaction publishes (and awaits confirms for)
 * @param maxBackoff the longest pause between attempts while the broker or the database is
 *     unreachable; pauses start at the poll interval and double
 */
@Validated
@ConfigurationProperties("fetchq.outbox")
public record OutboxProperties(
    @NotNull @DefaultValue("100ms") Duration pollInterval,
    @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
    @NotNull @DefaultValue("5s") Duration maxBackoff) {}
