package dev.fetchq.worker.cancel;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker follows cancellations.
 *
 * @param catchUpTimeout how long a starting worker may take to read the control stream up to its
 *     own marker before it gives up starting (it takes no job before); after a reconnect, how long
 *     a job delivery waits for the same before it goes ahead anyway (with a warning)
 */
@Validated
@ConfigurationProperties("fetchq.cancellation")
public record CancellationProperties(@NotNull @DefaultValue("60s") Duration catchUpTimeout) {}
