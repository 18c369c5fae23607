package dev.fetchq.worker.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where downloaded files are stored.
 *
 * @param dir the storage root; a job's file lies at {@code <dir>/<last two hex digits of the job
 *     id>/<job id>}. It must be on one file system, since files are moved into place atomically.
 */
@Validated
@ConfigurationProperties("fetchq.storage")
record StorageProperties(@NotNull @DefaultValue("./data/downloads") Path dir) {}
