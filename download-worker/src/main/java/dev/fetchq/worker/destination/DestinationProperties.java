package dev.fetchq.worker.destination;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which destinations the worker may fetch from beyond public addresses. Under {@code fetchq.worker}
 * with the worker's other settings; bound separately because it is the destination guard's concern.
 *
 * @param allowedHosts host names, IP addresses and CIDR blocks, each optionally with {@code :port}
 *     (see {@link AllowedHosts}), that open addresses the guard refuses by default: loopback,
 *     private, link-local, unique-local, carrier-grade NAT, multicast, unspecified, broadcast,
 *     documentation, benchmarking, reserved and cloud metadata. Comma-separated in one property or
 *     environment variable ({@code FETCHQ_WORKER_ALLOWED_HOSTS=demo-origin,10.1.0.0/16}). Empty by
 *     default: only public addresses are fetched
 */
@ConfigurationProperties("fetchq.worker")
record DestinationProperties(List<String> allowedHosts) {

  DestinationProperties {
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
  }
}
