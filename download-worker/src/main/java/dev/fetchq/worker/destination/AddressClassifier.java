package dev.fetchq.worker.destination;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies an IP address without any lookup: a pure function of its bytes, following the IANA
 * IPv4 and IPv6 special-purpose address registries (a range that is not globally reachable is not
 * {@link AddressClass#PUBLIC}).
 *
 * <p>IPv6 addresses that carry an IPv4 address are classified by the IPv4 address they lead to:
 * IPv4-mapped {@code ::ffff:a.b.c.d} (Java connects to those over IPv4), NAT64 with the well-known
 * prefix {@code 64:ff9b::/96} (a NAT64 gateway connects to the embedded address) and 6to4 {@code
 * 2002:aabb:ccdd::/48} (a relay connects to {@code a.b.c.d}). The deprecated IPv4-compatible {@code
 * ::a.b.c.d} is routed nowhere: reserved, or worse if what it embeds is. Teredo (2001::/32) hides
 * its client address and is refused as reserved.
 */
final class AddressClassifier {

  /**
   * Instance metadata and credential endpoints: AWS IMDS (also GCP, Azure, OpenStack, Oracle,
   * DigitalOcean and others at 169.254.169.254), AWS IMDS over IPv6, ECS task metadata and
   * credentials, EKS Pod Identity (IPv4 and IPv6), Alibaba Cloud metadata and Azure's WireServer
   * (168.63.129.16, a public address only reachable inside Azure). Most lie in ranges refused
   * anyway; naming them keeps them closed when a broad allow-list entry (a CIDR) covers them.
   */
  private static final Set<InetAddress> CLOUD_METADATA =
      Set.of(
          literal("169.254.169.254"),
          literal("169.254.170.2"),
          literal("169.254.170.23"),
          literal("100.100.100.200"),
          literal("168.63.129.16"),
          literal("fd00:ec2::254"),
          literal("fd00:ec2::23"));

  private AddressClassifier() {}

  static AddressClass classify(InetAddress address) {
    if (CLOUD_METADATA.contains(withoutScope(address))) {
      return AddressClass.CLOUD_METADATA;
    }
    byte[] b = address.getAddress();
    return b.length == 4 ? classifyIpv4(b) : classifyIpv6(b);
  }

  /**
   * The IPv4 address an IPv6 address leads to (mapped, compatible, NAT64 or 6to4), with the kind of
   * embedding, for explaining a refusal.
   */
  static Optional<Embedded> embeddedIpv4(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 16 ? embeddedIpv4(b) : Optional.empty();
  }

  private static Optional<Embedded> embeddedIpv4(byte[] b) {
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return Optional.of(new Embedded("IPv4-mapped", ipv4(b, 12)));
    }
    if (isZero(b, 0, 12) && !isZero(b, 12, 16) && !isLoopbackIpv6(b)) {
      return Optional.of(new Embedded("IPv4-compatible", ipv4(b, 12)));
    }
    if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && isZero(b, 4, 12)) {
      return Optional.of(new Embedded("NAT64", ipv4(b, 12)));
    }
    if (startsWith(b, 0x20, 0x02)) {
      return Optional.of(new Embedded("6to4", ipv4(b, 2)));
    }
    return Optional.empty();
  }

  /**
   * An IPv4 address inside an IPv6 one.
   *
   * @param kind how it is embedded: IPv4-mapped, IPv4-compatible, NAT64 or 6to4
   */
  record Embedded(String kind, Inet4Address ipv4) {}

  private static AddressClass classifyIpv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 0) {
      return AddressClass.UNSPECIFIED;
    }
    if (a0 == 127) {
      return AddressClass.LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return AddressClass.PRIVATE;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return AddressClass.CARRIER_GRADE_NAT;
    }
    if (a0 == 169 && a1 == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return AddressClass.RESERVED;
    }
    if ((a0 == 192 && a1 == 0 && a2 == 2)
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return AddressClass.DOCUMENTATION;
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return AddressClass.BENCHMARKING;
    }
    if (a0 == 192 && a1 == 88 && a2 == 99) {
      return AddressClass.RESERVED;
    }
    if ((a0 & 0xf0) == 224) {
      return AddressClass.MULTICAST;
    }
    if (a0 == 255 && a1 == 255 && a2 == 255 && (b[3] & 0xff) == 255) {
      return AddressClass.BROADCAST;
    }
    if ((a0 & 0xf0) == 240) {
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  private static AddressClass classifyIpv6(byte[] b) {
    if (isZero(b, 0, 16)) {
      return AddressClass.UNSPECIFIED;
    }
    if (isLoopbackIpv6(b)) {
      return AddressClass.LOOPBACK;
    }
    var embedded = embeddedIpv4(b);
    if (embedded.isPresent()) {
      AddressClass ipv4 = classify(embedded.get().ipv4());
      // ::a.b.c.d is deprecated and routed nowhere; what it embeds only makes it worse.
      boolean compatible = embedded.get().kind().equals("IPv4-compatible");
      return compatible && ipv4 == AddressClass.PUBLIC ? AddressClass.RESERVED : ipv4;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
      // 64:ff9b:1::/48, NAT64 for local use (RFC 8215): a translator of a private network.
      return AddressClass.PRIVATE;
    }
    if (startsWith(b, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00)) {
      return AddressClass.BENCHMARKING;
    }
    if (startsWith(b, 0x20, 0x01, 0x0d, 0xb8) || (b0 == 0x3f && b1 == 0xff && (b[2] & 0xf0) == 0)) {
      return AddressClass.DOCUMENTATION;
    }
    if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xfe) == 0) {
      // 2001::/23: IETF protocol assignments, Teredo (2001::/32) among them.
      return AddressClass.RESERVED;
    }
    if ((b0 & 0xfe) == 0xfc) {
      return AddressClass.UNIQUE_LOCAL;
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return AddressClass.PRIVATE;
    }
    if (b0 == 0xff) {
      return AddressClass.MULTICAST;
    }
    // Global unicast is 2000::/3; the rest (100::/64 discard-only, 5f00::/16 SRv6 among it) is
    // not globally reachable.
    return (b0 & 0xe0) == 0x20 ? AddressClass.PUBLIC : AddressClass.RESERVED;
  }

  private static boolean isLoopbackIpv6(byte[] b) {
    return isZero(b, 0, 15) && b[15] == 1;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static Inet4Address ipv4(byte[] b, int offset) {
    return (Inet4Address) InetAddressOf.bytes(Arrays.copyOfRange(b, offset, offset + 4));
  }

  private static InetAddress withoutScope(InetAddress address) {
    return InetAddressOf.bytes(address.getAddress());
  }

  private static InetAddress literal(String text) {
    return InetAddress.ofLiteral(text);
  }

  /** {@link InetAddress#getByAddress(byte[])}, which never looks anything up. */
  static final class InetAddressOf {
    private InetAddressOf() {}

    static InetAddress bytes(byte[] bytes) {
      try {
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not 4 or 16 bytes", e);
      }
    }
  }
}
