package dev.fetchq.worker.download;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker talks HTTP to origins.
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
 */
@Validated
@ConfigurationProperties("fetchq.download")
record DownloadProperties(
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration responseTimeout,
    @Min(0) @Max(20) @DefaultValue("5") int maxRedirects,
    @NotBlank @DefaultValue("fetchq-worker/1.0") String userAgent,
    @Min(1) @DefaultValue("16") int maxConnections) {}
