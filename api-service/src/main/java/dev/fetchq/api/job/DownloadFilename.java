package dev.fetchq.api.job;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The file name offered for a download: the client's hint made safe to save on any common file
 * system, or the job id when there is no usable hint. The hint is only ever used here, for {@code
 * Content-Disposition}: where a file is stored depends on its job id alone (the worker's storage
 * key), never on anything a client sent.
 */
final class DownloadFilename {

  /** Most file systems allow 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS): fit both. */
  private static final int MAX_UTF8_BYTES = 255;

  /**
   * Path separators, characters Windows forbids, control and invisible formatting characters, line
   * and paragraph separators, and halves of broken surrogate pairs.
   */
  private static final Pattern UNSAFE =
      Pattern.compile("[/\\\\:*?\"<>|\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]");

  /**
   * Leading dots hide files or walk up directories; trailing dots and spaces vanish on Windows.
   * Spaces of any script count.
   */
  private static final Pattern EDGES =
      Pattern.compile("^[.\\s]+|[.\\s]+$", Pattern.UNICODE_CHARACTER_CLASS);

  /** What RFC 5987 lets stand unencoded in {@code filename*} (attr-char). */
  private static final String ATTR_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";

  /** Names Windows reserves for devices, whatever the extension. */
  private static final Set<String> DEVICES =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private DownloadFilename() {}

  static String of(String hint, UUID jobId) {
    if (hint == null) {
      return jobId.toString();
    }
    String name = EDGES.matcher(UNSAFE.matcher(hint).replaceAll("_")).replaceAll("");
    name = EDGES.matcher(truncate(name)).replaceAll("");
    if (name.isEmpty() || name.replace("_", "").isEmpty()) {
      return jobId.toString();
    }
    String base = name.split("\\.", 2)[0].strip().toUpperCase(Locale.ROOT);
    return DEVICES.contains(base) ? "_" + name : name;
  }

  /**
   * {@code Content-Disposition: attachment} naming the file twice (RFC 6266): {@code filename*} is
   * the exact name in UTF-8, percent-encoded (RFC 5987/8187), which every current browser reads;
   * {@code filename} is an ASCII stand-in for clients that know no better (accents dropped, other
   * non-ASCII characters as {@code _}). The header is printable ASCII whatever the name.
   */
  static String contentDisposition(String hint, UUID jobId) {
    String name = of(hint, jobId);
    return "attachment; filename=\""
        + asciiFallback(name)
        + "\"; filename*=UTF-8''"
        + percentEncoded(name);
  }

  private static String asciiFallback(String name) {
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    var ascii = new StringBuilder(decomposed.length());
    decomposed
        .codePoints()
        .forEach(
            c -> ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
    return ascii.toString();
  }

  private static String percentEncoded(String name) {
    var encoded = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      if (ATTR_CHARS.indexOf(b) >= 0) {
        encoded.append((char) b);
      } else {
        encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
    }
    return encoded.toString();
  }

  /** At most {@link #MAX_UTF8_BYTES} bytes of UTF-8, cut between two code points. */
  private static String truncate(String name) {
    int bytes = 0;
    int end = 0;
    while (end < name.length()) {
      int codePoint = name.codePointAt(end);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_UTF8_BYTES) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return name.substring(0, end);
  }
}
