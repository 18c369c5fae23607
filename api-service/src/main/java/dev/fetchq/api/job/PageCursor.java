package dev.fetchq.api.job;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of jobs starts: after the last job of the previous page. Clients treat it as
 * opaque (URL-safe base64 of the job id), so its encoding may change.
 */
record PageCursor(UUID after) {

  static PageCursor after(UUID id) {
    return new PageCursor(id);
  }

  /** Reads a cursor a client sent back; Spring MVC converts request parameters with it. */
  public static PageCursor valueOf(String encoded) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor returned by this API", e);
    }
    if (bytes.length != 16) {
      throw new IllegalArgumentException("not a cursor returned by this API");
    }
    var buffer = ByteBuffer.wrap(bytes);
    return new PageCursor(new UUID(buffer.getLong(), buffer.getLong()));
  }

  String encode() {
    var buffer = ByteBuffer.allocate(16);
    buffer.putLong(after.getMostSignificantBits()).putLong(after.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }
}
