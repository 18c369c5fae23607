package dev.fetchq.api.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Counter {@code fetchq.api.auth.refused}: requests refused by {@code reason}: {@code missing} (no
 * key, 401), {@code invalid} (unknown or revoked key, 401), {@code forbidden} (a client key on an
 * admin endpoint, 403). Registered at zero, so a rate of it is never "no data".
 */
@Component
class AuthenticationMetrics {

  private final Map<String, Counter> refused;

  AuthenticationMetrics(MeterRegistry registry) {
    refused =
        Stream.of("missing", "invalid", "forbidden")
            .collect(
                Collectors.toUnmodifiableMap(
                    reason -> reason,
                    reason ->
                        Counter.builder("fetchq.api.auth.refused")
                            .description("API requests refused for want of a valid or strong key")
                            .tag("reason", reason)
                            .register(registry)));
  }

  void refused(String reason) {
    refused.get(reason).increment();
  }
}
