package dev.fetchq.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.api.ApiIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * API keys over real HTTP (Tomcat, the filter chain as deployed) and through MockMvc: who gets in,
 * what each role may do, and the life of a key created through the admin API.
 */
class SecurityIntegrationTests extends ApiIntegrationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void withoutAKeyEveryPathIs401ProblemWithAChallengeExistingOrNot() throws Exception {
    for (String path :
        List.of(
            "/jobs",
            "/jobs/" + UUID.randomUUID(),
            "/dead-letters",
            "/admin/api-keys",
            "/actuator/health",
            "/no/such/thing",
            "/error")) {
      HttpResponse<String> response = send("GET", path, null);

      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(path)
          .hasValue("application/problem+json");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"fetchq\"");
      assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(401);
    }
    assertThat(send("POST", "/jobs", null, "Content-Type", "application/json").statusCode())
        .isEqualTo(401);
  }

  @Test
  void anUnknownKeyIs401InvalidToken() throws Exception {
    HttpResponse<String> response =
        send("GET", "/jobs", null, "Authorization", "Bearer fq_not-a-key-of-this-server");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"fetchq\", error=\"invalid_token\"");
    assertThat(send("GET", "/jobs", null, "X-API-Key", "nope").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/jobs", null, "Authorization", "Basic YTpi").statusCode())
        .isEqualTo(401);
  }

  @Test
  void aKeyWorksAsBearerAndAsXApiKey() throws Exception {
    assertThat(send("GET", "/jobs?limit=1", null, "Authorization", "Bearer " + CLIENT_KEY))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
    assertThat(send("GET", "/jobs?limit=1", null, "authorization", "bearer  " + CLIENT_KEY))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
    assertThat(send("GET", "/jobs?limit=1", null, "X-API-Key", OTHER_CLIENT_KEY))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
  }

  @Test
  void theApiDescriptionIsPublicAndNoPathSneaksPastItsPrefix() throws Exception {
    assertThat(send("GET", "/v3/api-docs", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/swagger-ui.html", null).statusCode()).isIn(200, 302);

    for (String sneaky :
        List.of(
            "/v3/api-docs/../jobs",
            "/v3/api-docs/%2e%2e/jobs",
            "/v3/api-docs/..;/jobs",
            "/swagger-ui/..%2fjobs",
            "/swagger-ui/%2E%2E/admin/api-keys",
            "/v3/api-docs;/../jobs")) {
      int status = send("GET", sneaky, null).statusCode();

      assertThat(status).as(sneaky).isIn(400, 401, 404);
    }
    assertThat(send("POST", "/v3/api-docs", null).statusCode()).isEqualTo(401);
  }

  @Test
  void probesNeedNoKeyOnTheManagementPortAndTheApiPortServesNoActuator() throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
            .build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    assertThat(mvc.get().uri("/actuator/health")).hasStatus(HttpStatus.NOT_FOUND);
  }

  @Test
  void aClientKeyOnAnAdminEndpointIs403() {
    assertThat(mvc.get().uri("/admin/api-keys"))
        .hasStatus(HttpStatus.FORBIDDEN)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(mvc.get().uri("/dead-letters")).hasStatus(HttpStatus.FORBIDDEN);
  }

  @Test
  void aKeyCreatedByAnAdminWorksUntilItIsRevoked() throws Exception {
    String name = "team-" + UUID.randomUUID().toString().substring(0, 8);
    MvcTestResult created =
        asAdmin(mvc.post().uri("/admin/api-keys"))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"" + name + "\",\"role\":\"client\"}")
            .exchange();
    assertThat(created)
        .hasStatus(HttpStatus.CREATED)
        .hasHeader("Location", "/admin/api-keys/" + name)
        .hasHeader("Cache-Control", "no-store");
    JsonNode answer = body(created);
    String key = answer.get("key").asString();
    assertThat(key).startsWith("fq_");
    assertThat(answer.get("role").asString()).isEqualTo("client");
    assertThat(answer.get("createdBy").asString()).isEqualTo("admin");
    assertThat(storedDigest(name)).isEqualTo(ApiKeySecrets.sha256Hex(key)).doesNotContain(key);

    MvcTestResult submitted =
        as(key, mvc.post().uri("/jobs"))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\":\"https://example.org/keyed.bin\"}")
            .exchange();
    assertThat(submitted).hasStatus(HttpStatus.ACCEPTED);
    assertThat(body(submitted).get("owner").asString()).isEqualTo(name);

    JsonNode listed = listed(name);
    assertThat(listed.get("source").asString()).isEqualTo("database");
    assertThat(listed.get("lastUsedAt").isNull()).isFalse();
    assertThat(listed.has("key")).isFalse();
    assertThat(listed.has("sha256")).isFalse();
    assertThat(asAdmin(mvc.get().uri("/admin/api-keys")).exchange().getResponse())
        .satisfies(r -> assertThat(r.getContentAsString()).doesNotContain(key));

    assertThat(asAdmin(mvc.delete().uri("/admin/api-keys/{name}", name)))
        .hasStatus(HttpStatus.NO_CONTENT);
    assertThat(as(key, mvc.get().uri("/jobs"))).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(asAdmin(mvc.delete().uri("/admin/api-keys/{name}", name)))
        .hasStatus(HttpStatus.NOT_FOUND);
  }

  @Test
  void keyManagementRefusesWhatItCannotDo() {
    assertThat(create("{\"name\":\"" + CLIENT + "\",\"role\":\"client\"}"))
        .hasStatus(HttpStatus.CONFLICT);
    assertThat(create("{\"name\":\"../etc\",\"role\":\"client\"}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("name");
    assertThat(create("{\"name\":\"x\",\"role\":\"root\"}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(create("{\"role\":\"client\"}")).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(asAdmin(mvc.delete().uri("/admin/api-keys/{name}", CLIENT)))
        .hasStatus(HttpStatus.CONFLICT);
    assertThat(asAdmin(mvc.delete().uri("/admin/api-keys/{name}", "admin")))
        .hasStatus(HttpStatus.CONFLICT);
    assertThat(listed(CLIENT).get("source").asString()).isEqualTo("configuration");
  }

  @Test
  void aClientSeesAndCancelsOnlyItsOwnJobsAndAnAdminEveryJob() {
    UUID mine = submit("https://example.org/mine.bin");

    assertThat(as(OTHER_CLIENT_KEY, mvc.get().uri("/jobs/{id}", mine)))
        .hasStatus(HttpStatus.NOT_FOUND);
    assertThat(as(OTHER_CLIENT_KEY, mvc.get().uri("/jobs/{id}/content", mine)))
        .hasStatus(HttpStatus.NOT_FOUND);
    assertThat(as(OTHER_CLIENT_KEY, mvc.post().uri("/jobs/{id}/cancel", mine)))
        .hasStatus(HttpStatus.NOT_FOUND);
    assertThat(as(OTHER_CLIENT_KEY, mvc.delete().uri("/jobs/{id}", mine)))
        .hasStatus(HttpStatus.NOT_FOUND);
    assertThat(body(as(OTHER_CLIENT_KEY, mvc.get().uri("/jobs?limit=500")).exchange()).toString())
        .doesNotContain(mine.toString());
    assertThat(job(mine).get("status").asString()).isEqualTo("QUEUED");

    assertThat(body(asAdmin(mvc.get().uri("/jobs?limit=500")).exchange()).toString())
        .contains(mine.toString());
    assertThat(asAdmin(mvc.get().uri("/jobs/{id}", mine)))
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .extractingPath("$.owner")
        .isEqualTo(CLIENT);
    assertThat(asAdmin(mvc.post().uri("/jobs/{id}/cancel", mine))).hasStatus(HttpStatus.ACCEPTED);
  }

  @Test
  void aJobFromBeforeApiKeysIsAnAdminsOnly() {
    UUID old = submit("https://example.org/old.bin");
    jdbc.sql("update job set owner = null where id = ?").param(old).update();

    assertThat(mvc.get().uri("/jobs/{id}", old)).hasStatus(HttpStatus.NOT_FOUND);
    assertThat(asAdmin(mvc.get().uri("/jobs/{id}", old)))
        .hasStatus(HttpStatus.OK)
        .bodyJson()
        .extractingPath("$.owner")
        .isNull();
  }

  private MvcTestResult create(String body) {
    return asAdmin(mvc.post().uri("/admin/api-keys"))
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private JsonNode listed(String name) {
    MvcTestResult result = asAdmin(mvc.get().uri("/admin/api-keys")).exchange();
    assertThat(result).hasStatus(HttpStatus.OK);
    for (JsonNode key : body(result).get("items")) {
      if (key.get("name").asString().equals(name)) {
        return key;
      }
    }
    throw new AssertionError("API key " + name + " is not listed");
  }

  private String storedDigest(String name) {
    return jdbc.sql("select sha256 from api_key where name = ?")
        .param(name)
        .query(String.class)
        .single();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    var builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
