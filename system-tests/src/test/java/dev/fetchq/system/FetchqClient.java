package dev.fetchq.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a user of fetchq does over HTTP, as plain requests. */
final class FetchqClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  /** A client of the api on {@code port}; {@code token} is sent as a bearer token when not null. */
  FetchqClient(int port, String token) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.token = token;
  }

  record Response(int status, String contentType, String location, JsonNode body) {}

  Response submit(String url) {
    String body = JSON.createObjectNode().put("url", url).toString();
    return post("/jobs", body);
  }

  /** Submits a job for {@code url} that must have SHA-256 {@code sha256}. */
  Response submit(String url, String sha256) {
    String body = JSON.createObjectNode().put("url", url).put("sha256", sha256).toString();
    return post("/jobs", body);
  }

  Response post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response get(String path) {
    return send(request(path).build());
  }

  Response delete(String path) {
    return send(request(path).DELETE().build());
  }

  /** The job's JSON, which must exist. */
  JsonNode job(String id) {
    var response = get("/jobs/" + id);
    if (response.status() != 200) {
      throw new AssertionError("GET /jobs/" + id + " answered " + response);
    }
    return response.body();
  }

  String status(String id) {
    return job(id).get("status").asString();
  }

  private HttpRequest.Builder request(String path) {
    var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  /** Streams {@code path} and returns the SHA-256 of what it sent, or the status if not 200. */
  String sha256Of(String path) {
    var request = request(path).timeout(Duration.ofSeconds(60)).build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (var in = new DigestInputStream(response.body(), MessageDigest.getInstance("SHA-256"))) {
        if (response.statusCode() != 200) {
          return "status " + response.statusCode();
        }
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
      }
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Location").orElse(null),
          body == null || body.isBlank() ? null : JSON.readTree(body));
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
