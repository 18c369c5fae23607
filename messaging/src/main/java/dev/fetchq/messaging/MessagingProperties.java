package dev.fetchq.messaging;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Publishing settings shared by both services.
 *
 * @param confirmTimeout how long a publish waits for the broker's confirm before it counts as
 *     failed
 */
@Validated
@ConfigurationProperties("fetchq.messaging")
public record MessagingProperties(@NotNull @DefaultValue("10s") Duration confirmTimeout) {}
