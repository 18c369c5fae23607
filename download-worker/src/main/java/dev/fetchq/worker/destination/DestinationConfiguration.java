package dev.fetchq.worker.destination;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The destination guard, always on: the download client's only resolver. */
@Configuration(proxyBeanMethods = false)
class DestinationConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DestinationConfiguration.class);

  @Bean
  DnsResolver destinationGuard(DestinationProperties properties) {
    AllowedHosts allowed = AllowedHosts.parse(properties.allowedHosts());
    if (allowed.entries().isEmpty()) {
      log.info("Destination guard on: only public addresses are fetched");
    } else {
      log.info(
          "Destination guard on: public addresses are fetched, and {}={}",
          AllowedHosts.PROPERTY,
          allowed.entries());
    }
    return new DestinationGuard(new DestinationPolicy(allowed), SystemDefaultDnsResolver.INSTANCE);
  }
}
