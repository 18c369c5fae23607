package dev.fetchq.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default name of a fetchq process in events, headers and metrics: {@code <hostname>-<pid>}.
 */
public final class ProcessName {

  private ProcessName() {}

  /**
   * {@code <hostname>-<pid>}, read without a DNS lookup (containers set {@code HOSTNAME}, Linux
   * hosts have {@code /etc/hostname}); {@code fallback} stands for the host name when neither does.
   */
  public static String of(String fallback) {
    return hostname(fallback) + "-" + ProcessHandle.current().pid();
  }

  private static String hostname(String fallback) {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String file = Files.readString(Path.of("/etc/hostname")).strip();
      return file.isEmpty() ? fallback : file;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }
}
