package dev.fetchq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo origin's start script, run here with sh (as nginx's image runs it with busybox sh): it
 * must produce the files the README promises, with the checksums it states.
 */
class DemoOriginTests {

  @Test
  void theStartScriptServesTheSamplesAndGeneratesFilesWithStableChecksums(@TempDir Path root)
      throws IOException {
    var result =
        Tool.run(
                Repository.ROOT,
                Map.of(
                    "DEMO_ROOT", root.toString(),
                    "DEMO_STATIC", Repository.path("deploy/demo-origin/static").toString()),
                "sh",
                "deploy/demo-origin/start.sh",
                "true")
            .requireSuccess();
    assertThat(result.stdout()).contains("demo origin:");
    assertThat(Files.size(root.resolve("fetchq-10MiB.bin"))).isEqualTo(10L * 1024 * 1024);
    assertThat(Files.size(root.resolve("fetchq-100MiB.bin"))).isEqualTo(100L * 1024 * 1024);
    assertThat(root.resolve("hello.txt")).exists();

    var sums = Files.readString(root.resolve("SHA256SUMS"));
    var readme = Repository.read("deploy/demo-origin/README.md");
    for (var line : sums.lines().toList()) {
      var parts = line.split("\\s+");
      if (parts[1].endsWith(".bin")) {
        assertThat(readme).as("README states the checksum of %s", parts[1]).contains(parts[0]);
      }
    }
    assertThat(sums.lines()).hasSize(4);
  }

  @Test
  void nginxServesWhatTheHealthcheckAndTheReadmeUse() {
    var config = Repository.read("deploy/demo-origin/nginx.conf");
    assertThat(config)
        .contains("location = /healthz")
        .contains("location /files/")
        .contains("location /slow/")
        .contains("location = /status/503");
    assertThat(Compose.service("demo-origin").path("healthcheck").path("test").toString())
        .contains("http://127.0.0.1/healthz");
    var mounts = Compose.mounts("demo-origin");
    assertThat(mounts)
        .anySatisfy(m -> assertThat(m.target()).isEqualTo("/etc/nginx/conf.d/default.conf"));
    assertThat(Compose.service("demo-origin").path("command").toString())
        .contains("/srv/demo/start.sh");
  }
}
