package dev.fetchq.api.job;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The file name offered for a download: the client's hint made safe to save on any common file
 * system, or the job id when there is no usable hint.
 */
final class DownloadFilename {

  private static final int MAX_LENGTH = 255;

  /** Path separators, characters Windows forbids, and control and invisible formatting ones. */
  private static final Pattern UNSAFE = Pattern.compile("[/\\\\:*?\"<>|\\p{Cc}\\p{Cf}]");

  private DownloadFilename() {}

  static String of(String hint, UUID jobId) {
    if (hint == null) {
      return jobId.toString();
    }
    String name = UNSAFE.matcher(hint).replaceAll("_").strip();
    // Leading dots hide files or walk up directories; trailing dots and spaces vanish on Windows.
    name = name.replaceAll("^[.\\s]+|[.\\s]+$", "");
    if (name.isEmpty() || name.replace("_", "").isEmpty()) {
      return jobId.toString();
    }
    return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
  }
}
