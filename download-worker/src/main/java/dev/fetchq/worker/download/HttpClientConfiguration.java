package dev.fetchq.worker.download;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one pooled HTTP client all downloads of this process share. */
@Configuration(proxyBeanMethods = false)
class HttpClientConfiguration {

  /**
   * Every address the client connects to, for the first request and for each redirect hop, comes
   * from the {@link DnsResolver}, and the client connects to exactly the addresses it returns. The
   * destination guard (SSRF) is that resolver: it resolves and then leaves out forbidden addresses,
   * with no window for DNS rebinding. It is required, so that no configuration can start a worker
   * without it. No proxy is configured (a proxy would be resolved instead of the origin).
   */
  @Bean(destroyMethod = "close")
  PoolingHttpClientConnectionManager downloadConnectionManager(
      DownloadProperties properties, DnsResolver dnsResolver) {
    var connectionConfig =
        ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(properties.connectTimeout()))
            .setSocketTimeout(Timeout.of(properties.responseTimeout()))
            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
            .setTimeToLive(TimeValue.ofMinutes(5))
            .build();
    return PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(dnsResolver)
        .setDefaultConnectionConfig(connectionConfig)
        .setMaxConnTotal(properties.maxConnections())
        .setMaxConnPerRoute(properties.maxConnections())
        .build();
  }

  @Bean(destroyMethod = "close")
  CloseableHttpClient downloadHttpClient(
      DownloadProperties properties, PoolingHttpClientConnectionManager connectionManager) {
    var requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.of(properties.connectTimeout()))
            .setResponseTimeout(Timeout.of(properties.responseTimeout()))
            // With 0, the first redirect already fails as "too many redirects".
            .setRedirectsEnabled(true)
            .setMaxRedirects(properties.maxRedirects())
            .setCircularRedirectsAllowed(false)
            .build();
    return HttpClients.custom()
        .setConnectionManager(connectionManager)
        // The pool is a bean of its own, closed by the context after the client.
        .setConnectionManagerShared(true)
        .setDefaultRequestConfig(requestConfig)
        .setUserAgent(properties.userAgent())
        .setRedirectStrategy(new HttpOnlyRedirectStrategy())
        // Store the origin's exact bytes: no transparent decompression (the checksum and size
        // limit apply to what the origin sent).
        .disableContentCompression()
        // Retries are the job's business (retry tiers), never a sleep inside a consumer thread.
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .build();
  }
}
