package dev.fetchq.api.web;

import dev.fetchq.api.security.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI: {@code /swagger-ui.html}),
 * the only part of the API port that needs no key.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static final String BEARER_SCHEME = "apiKey";
  static final String HEADER_SCHEME = "apiKeyHeader";

  static {
    // The caller is who authenticated, not a request parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  @Bean
  OpenAPI fetchqOpenApi() {
    return new OpenAPI()
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER_SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "An API key: Authorization: Bearer <key>. Client keys submit jobs and"
                                + " see only their own; admin keys see every job and manage dead"
                                + " letters and keys."))
                .addSecuritySchemes(
                    HEADER_SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")
                        .description("The same API key in a header of its own")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME))
        .addSecurityItem(new SecurityRequirement().addList(HEADER_SCHEME))
        .info(
            new Info()
                .title("fetchq API")
                .version("v1")
                .description(
                    "Submit download jobs, watch their progress and download the results. Every"
                        + " request needs an API key (401 without, 403 for a client key on an"
                        + " admin endpoint). Errors are RFC 9457 problem details."));
  }
}
