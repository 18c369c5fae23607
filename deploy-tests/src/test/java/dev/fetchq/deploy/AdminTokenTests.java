package dev.fetchq.deploy;

import static dev.fetchq.deploy.Manifests.API;
import static dev.fetchq.deploy.Manifests.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The api-service's admin token (fetchq.admin.token, at least 16 characters) reaches it from .env
 * on compose and from Secret fetchq-admin on Kubernetes; the workers never get it.
 */
class AdminTokenTests {

  private static final int MINIMUM_LENGTH = 16;

  @Test
  void composePassesTheTokenFromTheEnvFileWithALocalOnlyDefault() {
    assertThat(Repository.read("docker-compose.yml"))
        .contains("FETCHQ_ADMIN_TOKEN: ${FETCHQ_ADMIN_TOKEN}");
    var token = Compose.dotEnv().get("FETCHQ_ADMIN_TOKEN");
    assertThat(token).hasSizeGreaterThanOrEqualTo(MINIMUM_LENGTH).contains("local-only");
    assertThat(Compose.environment(API)).containsEntry("FETCHQ_ADMIN_TOKEN", token);
    assertThat(Compose.environment(WORKER)).doesNotContainKey("FETCHQ_ADMIN_TOKEN");
  }

  @ParameterizedTest
  @MethodSource("dev.fetchq.deploy.Manifests#overlays")
  void theApiReadsTheTokenFromSecretFetchqAdmin(String overlay) {
    var rendered = Rendered.overlay(overlay);
    var api =
        rendered.environment(Rendered.container(rendered.deployment(API).getSpec().getTemplate()));
    assertThat(api.get("FETCHQ_ADMIN_TOKEN")).matches("secret:fetchq-admin(-[a-z0-9]{10})?/token");
    var worker =
        rendered.environment(
            Rendered.container(rendered.deployment(WORKER).getSpec().getTemplate()));
    assertThat(worker).doesNotContainKey("FETCHQ_ADMIN_TOKEN");
  }

  @Test
  void devGeneratesADevelopmentOnlyToken() {
    var secret = Rendered.overlay("dev").generated(Secret.class, "fetchq-admin");
    var token =
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    assertThat(token).hasSizeGreaterThanOrEqualTo(MINIMUM_LENGTH).contains("dev-only");
  }

  @Test
  void prodTellsHowToCreateARandomToken() {
    assertThat(Rendered.overlay("prod").all(Secret.class))
        .noneMatch(s -> s.getMetadata().getName().startsWith("fetchq-admin"));
    assertThat(Repository.read("k8s/overlays/prod/kustomization.yaml"))
        .contains(
            "kubectl -n fetchq create secret generic fetchq-admin"
                + " --from-literal=token=\"$(openssl rand -hex 32)\"");
  }
}
