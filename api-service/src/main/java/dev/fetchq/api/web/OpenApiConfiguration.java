package dev.fetchq.api.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
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
        .info(
            new Info()
                .title("fetchq API")
                .version("v1")
                .description(
                    "Submit download jobs, watch their progress and download the results. Errors"
                        + " are RFC 9457 problem details."));
  }
}
