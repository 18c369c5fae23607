package dev.fetchq.api.web;

import dev.fetchq.api.admin.AdminOnly;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI: {@code /swagger-ui.html}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI fetchqOpenApi() {
    return new OpenAPI()
        .components(
            new Components()
                .addSecuritySchemes(
                    AdminOnly.SECURITY_SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The admin token (fetchq.admin.token)")))
        .info(
            new Info()
                .title("fetchq API")
                .version("v1")
                .description(
                    "Submit download jobs, watch their progress and download the results. Errors"
                        + " are RFC 9457 problem details."));
  }
}
