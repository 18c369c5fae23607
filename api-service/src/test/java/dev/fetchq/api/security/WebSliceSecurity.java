package dev.fetchq.api.security;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;

/**
 * API keys for web slice tests ({@code @WebMvcTest}): the real authentication filter and admin
 * check, with three keys held by a stand-in for the key table. MockMvc sends {@link #CLIENT_KEY}
 * unless a request sets its own {@code Authorization}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ApiKeys.class, AuthenticationMetrics.class})
public class WebSliceSecurity {

  public static final String CLIENT = "client-a";
  public static final String CLIENT_KEY = "fq_slice-client-a-key-0000000000000000000000000";
  public static final String OTHER_CLIENT = "client-b";
  public static final String OTHER_CLIENT_KEY = "fq_slice-client-b-key-0000000000000000000000000";
  public static final String ADMIN = "ops";
  public static final String ADMIN_KEY = "fq_slice-admin-key-00000000000000000000000000000";

  /** {@code Authorization} for {@code key}. */
  public static String bearer(String key) {
    return "Bearer " + key;
  }

  @Bean
  ApiKeyRepository apiKeyRepository() {
    ApiKeyRepository repository = mock(ApiKeyRepository.class);
    given(repository.findBySha256(anyString())).willReturn(Optional.empty());
    stored(repository, CLIENT, Role.CLIENT, CLIENT_KEY);
    stored(repository, OTHER_CLIENT, Role.CLIENT, OTHER_CLIENT_KEY);
    stored(repository, ADMIN, Role.ADMIN, ADMIN_KEY);
    return repository;
  }

  @Bean
  MeterRegistry sliceMeterRegistry() {
    return new SimpleMeterRegistry();
  }

  @Bean
  MockMvcBuilderCustomizer sendTheClientKey() {
    return builder ->
        builder.defaultRequest(get("/").header(HttpHeaders.AUTHORIZATION, bearer(CLIENT_KEY)));
  }

  private static void stored(ApiKeyRepository repository, String name, Role role, String key) {
    String digest = ApiKeySecrets.sha256Hex(key);
    given(repository.findBySha256(digest))
        .willReturn(Optional.of(new ApiKeyRepository.Stored(name, role, digest)));
  }
}
