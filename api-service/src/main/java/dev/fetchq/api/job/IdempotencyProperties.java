package dev.fetchq.api.job;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code Idempotency-Key} on {@code POST /jobs}.
 *
 * @param retention how long a key stands for the job it created: the same key and request within
 *     this time return that job; after it, the key is free and creates a new job
 * @param sweepInterval how often expired keys are deleted (each replica; deleting is idempotent). A
 *     key reused after it expired is replaced on the spot, whatever the sweep did.
 */
@Validated
@ConfigurationProperties("fetchq.idempotency")
public record IdempotencyProperties(
    @NotNull @DefaultValue("24h") Duration retention,
    @NotNull @DefaultValue("1h") Duration sweepInterval) {}
