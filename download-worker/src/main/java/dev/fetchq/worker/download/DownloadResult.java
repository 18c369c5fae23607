package dev.fetchq.worker.download;

/**
 * A file stored and verified.
 *
 * @param bytes its size
 * @param sha256 lower-case hex SHA-256 of its content
 * @param contentType the origin's {@code Content-Type}, or {@code null} when it sent none
 * @param storageKey its path relative to the storage root
 * @param resumedFrom how many of its bytes an earlier attempt had stored (0: downloaded whole)
 */
public record DownloadResult(
    long bytes, String sha256, String contentType, String storageKey, long resumedFrom) {}
