package dev.fetchq.api.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP limits of the public API.
 *
 * @param maxRequestBody the largest request body accepted; larger ones get 413
 */
@Validated
@ConfigurationProperties("fetchq.web")
public record WebApiProperties(@NotNull @DefaultValue("16KB") DataSize maxRequestBody) {}
