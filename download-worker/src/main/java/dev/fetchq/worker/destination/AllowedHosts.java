package dev.fetchq.worker.destination;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The destinations an operator opened with {@code fetchq.worker.allowed-hosts}: host names, IP
 * addresses and CIDR blocks, each for every port or for one.
 *
 * <table>
 *   <caption>Entry forms</caption>
 *   <tr><td>{@code demo-origin}, {@code demo-origin:8080}</td><td>a host name as it appears in
 *       URLs (case-insensitive); whatever it resolves to is allowed</td></tr>
 *   <tr><td>{@code 127.0.0.1}, {@code 127.0.0.1:8080}</td><td>one IPv4 address</td></tr>
 *   <tr><td>{@code 10.0.0.0/8}, {@code 10.0.0.0/8:8080}</td><td>an IPv4 block</td></tr>
 *   <tr><td>{@code ::1}, {@code fd00::/8}</td><td>an IPv6 address or block, any port</td></tr>
 *   <tr><td>{@code [::1]:8080}, {@code [fd00::/8]:8080}</td><td>the same, one port</td></tr>
 * </table>
 *
 * <p>Cloud metadata addresses are opened only by an entry naming the exact address (a single IP, or
 * a /32 or /128 block), never by a wider block or a host name.
 */
final class AllowedHosts {

  /** The property operators set; error messages name it. */
  static final String PROPERTY = "fetchq.worker.allowed-hosts";

  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");
  private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  /** Any port. */
  static final int ANY_PORT = -1;

  private sealed interface Entry {
    int port();

    default boolean portMatches(int requested) {
      return port() == ANY_PORT || port() == requested;
    }
  }

  private record HostEntry(String name, int port) implements Entry {}

  private record BlockEntry(InetAddress network, int prefix, int port) implements Entry {

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      byte[] n = network.getAddress();
      if (a.length != n.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & mask) != (n[i] & mask)) {
          return false;
        }
      }
      return true;
    }

    boolean exact() {
      return prefix == network.getAddress().length * 8;
    }
  }

  private final List<Entry> entries;
  private final List<String> texts;

  private AllowedHosts(List<Entry> entries, List<String> texts) {
    this.entries = entries;
    this.texts = texts;
  }

  static AllowedHosts none() {
    return new AllowedHosts(List.of(), List.of());
  }

  /**
   * @throws IllegalArgumentException naming the property and the entry that is not one of the forms
   *     above
   */
  static AllowedHosts parse(List<String> values) {
    var entries = new ArrayList<Entry>();
    var texts = new ArrayList<String>();
    for (String value : values) {
      String text = value == null ? "" : value.strip();
      if (text.isEmpty()) {
        continue;
      }
      try {
        entries.add(entry(text));
        texts.add(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PROPERTY
                + ": '"
                + text
                + "' is not a host name, IP address or CIDR block with an"
                + " optional :port ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    return new AllowedHosts(List.copyOf(entries), List.copyOf(texts));
  }

  /** The entries as configured, for the startup log. */
  List<String> entries() {
    return texts;
  }

  /**
   * Whether {@code address}, reached through {@code host} (as written in the URL, normalised) on
   * {@code port} ({@link #ANY_PORT} when unknown), is opened by an entry.
   */
  boolean allows(String host, InetAddress address, int port, boolean metadata) {
    return entries.stream()
        .anyMatch(e -> e.portMatches(port) && covers(e, host, address, metadata));
  }

  /** Whether some entry opens the address (or host) on some port, maybe not the one requested. */
  boolean allowsOnSomePort(String host, InetAddress address, boolean metadata) {
    return entries.stream().anyMatch(e -> covers(e, host, address, metadata));
  }

  private static boolean covers(Entry entry, String host, InetAddress address, boolean metadata) {
    return switch (entry) {
      case HostEntry h -> !metadata && h.name().equals(host);
      case BlockEntry b -> (!metadata || b.exact()) && b.contains(address);
    };
  }

  /** Lower case, no brackets, no trailing dot: how hosts are compared. */
  static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static Entry entry(String text) {
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("no closing ]");
      }
      String rest = text.substring(close + 1);
      int port = ANY_PORT;
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected '" + rest + "' after ]");
        }
        port = port(rest.substring(1));
      }
      return block(text.substring(1, close), port, true);
    }
    if (text.indexOf(':') != text.lastIndexOf(':')) {
      // Several colons: a bare IPv6 address or block, which cannot carry a port.
      return block(text, ANY_PORT, true);
    }
    String host = text;
    int port = ANY_PORT;
    int colon = text.indexOf(':');
    if (colon >= 0) {
      host = text.substring(0, colon);
      port = port(text.substring(colon + 1));
    }
    String address = host.contains("/") ? host.substring(0, host.indexOf('/')) : host;
    if (DIGITS_AND_DOTS.matcher(address).matches()) {
      return block(host, port, false);
    }
    String name = normalize(host);
    if (!HOST_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid host name");
    }
    return new HostEntry(name, port);
  }

  private static BlockEntry block(String text, int port, boolean ipv6) {
    String address = text;
    Integer prefix = null;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      address = text.substring(0, slash);
      String bits = text.substring(slash + 1);
      if (!bits.matches("\\d{1,3}")) {
        throw new IllegalArgumentException("prefix length '" + bits + "' is not a number");
      }
      prefix = Integer.parseInt(bits);
    }
    InetAddress network = ipv6 ? ipv6(address) : ipv4(address);
    int length = network.getAddress().length * 8;
    if (prefix == null) {
      prefix = length;
    }
    if (prefix > length) {
      throw new IllegalArgumentException("prefix /" + prefix + " is longer than " + length);
    }
    if (hasHostBits(network, prefix)) {
      throw new IllegalArgumentException(
          "host bits set below /" + prefix + "; write the block's first address");
    }
    return new BlockEntry(network, prefix, port);
  }

  private static boolean hasHostBits(InetAddress network, int prefix) {
    byte[] n = network.getAddress();
    for (int bit = prefix; bit < n.length * 8; bit++) {
      if ((n[bit / 8] & (0x80 >> (bit % 8))) != 0) {
        return true;
      }
    }
    return false;
  }

  private static InetAddress ipv4(String text) {
    var quad = DOTTED_QUAD.matcher(text);
    if (!quad.matches()) {
      throw new IllegalArgumentException("not a dotted-quad IPv4 address");
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(quad.group(i)) > 255) {
        throw new IllegalArgumentException("not a dotted-quad IPv4 address");
      }
    }
    return InetAddress.ofLiteral(text);
  }

  private static InetAddress ipv6(String text) {
    if (!text.contains(":")) {
      throw new IllegalArgumentException("not an IPv6 address");
    }
    // ::ffff:a.b.c.d comes back as the IPv4 address: Java connects to it as such.
    return InetAddress.ofLiteral(text);
  }

  private static int port(String text) {
    if (!PORT.matcher(text).matches()) {
      throw new IllegalArgumentException("port '" + text + "' is not a number");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    return port;
  }
}
