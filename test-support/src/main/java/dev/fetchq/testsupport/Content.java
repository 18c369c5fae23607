package dev.fetchq.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A test file's body: deterministic pseudo-random bytes of a given size, generated on the fly so
 * that even gigabyte files cost no memory, with its SHA-256 known in advance.
 */
public record Content(long size, long seed) {

  private static final int CHUNK = 64 * 1024;

  public static Content random(long size, long seed) {
    return new Content(size, seed);
  }

  /** Writes bytes {@code [from, size)} to {@code out}. */
  public void writeTo(OutputStream out, long from) throws IOException {
    var random = new SplittableRandom(seed);
    byte[] chunk = new byte[CHUNK];
    long position = 0;
    while (position < size) {
      int n = (int) Math.min(CHUNK, size - position);
      fill(random, chunk, n);
      if (position + n > from) {
        int skip = (int) Math.max(0, from - position);
        out.write(chunk, skip, n - skip);
      }
      position += n;
    }
  }

  /** All bytes, for small contents only. */
  public byte[] bytes() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("too large for an array: " + size);
    }
    var out = new java.io.ByteArrayOutputStream((int) size);
    try {
      writeTo(out, 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** Lower-case hex SHA-256 of the whole content. */
  public String sha256() {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      writeTo(
          new OutputStream() {
            @Override
            public void write(int b) {
              digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              digest.update(b, off, len);
            }
          },
          0);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fill(SplittableRandom random, byte[] chunk, int n) {
    for (int i = 0; i < n; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        chunk[i + j] = (byte) (v >>> (8 * j));
      }
    }
  }
}
