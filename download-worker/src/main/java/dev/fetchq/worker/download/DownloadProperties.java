package dev.fetchq.worker.download;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker talks HTTP to origins, and the limits of one download attempt.
 *
 * @param connectTimeout how long establishing a TCP (and TLS) connection may take
 * @param responseTimeout the longest silence accepted from the origin, both before the response
 *     starts and between two reads of the body; it is not a limit on the whole download
 * @param maxRedirects how many redirects one download may follow; one more fails the job as an
 *     invalid URL
 * @param userAgent the {@code User-Agent} header sent to origins
 * @param maxConnections the size of the connection pool, in total and per origin; keep it at least
 *     {@code fetchq.worker.concurrency} (each consumer uses one connection at a time). Connections
 *     are kept and reused between downloads from the same origin
 * @param maxDuration the longest one attempt may download; then it fails transiently ({@code
 *     TIMEOUT}) and the next attempt resumes where it stopped (when the origin supports ranges).
 *     Must stay below the broker's {@code consumer_timeout} (2 h in the configuration we ship),
 *     which would otherwise close the consumer's channel under a running download: under 2 h is
 *     enforced
 * @param minSpeed the slowest body transfer accepted, in bytes per second (e.g. {@code 1KB}),
 *     measured over every {@code minSpeedWindow} once the response began; slower fails the attempt
 *     transiently ({@code TIMEOUT}). {@code 0} turns the check off
 * @param minSpeedWindow how long the transfer must stay below {@code minSpeed} before it is
 *     stopped: long enough to ride out a stall a TCP retransmission or a busy origin causes
 */
@Validated
@ConfigurationProperties("fetchq.download")
record DownloadProperties(
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration responseTimeout,
    @Min(0) @Max(20) @DefaultValue("5") int maxRedirects,
    @NotBlank @DefaultValue("fetchq-worker/1.0") String userAgent,
    @Min(1) @DefaultValue("16") int maxConnections,
    @NotNull
        @DurationMin(seconds = 1)
        @DurationMax(hours = 2, inclusive = false)
        @DefaultValue("1h")
        Duration maxDuration,
    @NotNull @DefaultValue("1KB") DataSize minSpeed,
    @NotNull @DurationMin(millis = 100) @DefaultValue("30s") Duration minSpeedWindow) {}
