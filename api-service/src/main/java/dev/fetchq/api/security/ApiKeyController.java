package dev.fetchq.api.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@AdminOnly
@Tag(name = "API keys", description = "Admin keys only")
@RestController
@RequestMapping(path = "/admin/api-keys", produces = MediaType.APPLICATION_JSON_VALUE)
class ApiKeyController {

  private final ApiKeys keys;

  ApiKeyController(ApiKeys keys) {
    this.keys = keys;
  }

  /**
   * The body of {@code POST /admin/api-keys}.
   *
   * @param name what the key authenticates as: the owner of the jobs it submits
   * @param role {@code client} or {@code admin}
   */
  record CreateRequest(
      @NotNull
          @Pattern(
              regexp = SecurityProperties.NAME_PATTERN,
              message =
                  "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
          String name,
      @NotNull Role role) {}

  /** A created key: {@code key} is shown this once and never again. */
  record CreatedKey(String name, Role role, String key, Instant createdAt, String createdBy) {}

  record KeyList(List<ApiKey> items) {}

  @Operation(
      summary = "Create an API key",
      description =
          "Answers the key itself this one time (only its SHA-256 is stored): keep it. 409 when the"
              + " name is taken.")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<CreatedKey> create(@Valid @RequestBody CreateRequest request, Caller caller) {
    ApiKeys.Created created = keys.create(request.name(), request.role(), caller);
    ApiKey key = created.apiKey();
    return ResponseEntity.created(URI.create("/admin/api-keys/" + key.name()))
        .cacheControl(CacheControl.noStore())
        .body(
            new CreatedKey(
                key.name(), key.role(), created.key(), key.createdAt(), key.createdBy()));
  }

  @Operation(summary = "List API keys: names, roles, creation and last use, never the keys")
  @GetMapping
  KeyList list() {
    return new KeyList(keys.list());
  }

  @Operation(
      summary = "Revoke an API key",
      description =
          "It stops working with the next request, on every replica. Its jobs keep it as their"
              + " owner. 404 when unknown, 409 for a configured key.")
  @DeleteMapping("/{name}")
  ResponseEntity<Void> revoke(@PathVariable String name, Caller caller) {
    keys.revoke(name, caller);
    return ResponseEntity.noContent().build();
  }
}
