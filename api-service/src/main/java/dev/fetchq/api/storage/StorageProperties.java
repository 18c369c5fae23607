package dev.fetchq.api.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where workers store downloaded files. The api-service only reads them.
 *
 * @param dir the storage root, shared with the workers (a volume in compose, a PVC in k8s)
 */
@Validated
@ConfigurationProperties("fetchq.storage")
public record StorageProperties(@NotNull @DefaultValue("./data/downloads") Path dir) {}
