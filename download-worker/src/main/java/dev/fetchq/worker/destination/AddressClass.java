package dev.fetchq.worker.destination;

/**
 * What kind of address an IP address is, as far as fetching from it is concerned. Everything but
 * {@link #PUBLIC} is refused unless {@code fetchq.worker.allowed-hosts} opens it.
 */
enum AddressClass {
  /** Globally reachable unicast: fetched. */
  PUBLIC("a public address"),
  /** 127.0.0.0/8, ::1. */
  LOOPBACK("a loopback address"),
  /**
   * RFC 1918 (10/8, 172.16/12, 192.168/16), deprecated IPv6 site-local fec0::/10, 64:ff9b:1::/48.
   */
  PRIVATE("a private address"),
  /** RFC 6598 shared address space 100.64.0.0/10, used by carrier-grade NAT and some clouds. */
  CARRIER_GRADE_NAT("a carrier-grade NAT (shared) address"),
  /** 169.254.0.0/16, fe80::/10. */
  LINK_LOCAL("a link-local address"),
  /** fc00::/7. */
  UNIQUE_LOCAL("a unique-local address"),
  /** 224.0.0.0/4, ff00::/8. */
  MULTICAST("a multicast address"),
  /** 0.0.0.0/8 ("this network"; Linux connects 0.0.0.0 to the local host) and ::. */
  UNSPECIFIED("an unspecified address"),
  /** 255.255.255.255. */
  BROADCAST("a broadcast address"),
  /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20. */
  DOCUMENTATION("a documentation address"),
  /** 198.18.0.0/15, 2001:2::/48. */
  BENCHMARKING("a benchmarking address"),
  /**
   * Not globally reachable for another reason: 192.0.0.0/24 (IETF protocol assignments),
   * 192.88.99.0/24 (6to4 relay anycast), 240.0.0.0/4, and in IPv6 everything outside 2000::/3 not
   * named above (100::/64 discard-only, 5f00::/16 SRv6, the deprecated IPv4-compatible ::/96),
   * 2001::/23 (IETF protocol assignments, Teredo).
   */
  RESERVED("a reserved address"),
  /**
   * Instance metadata and credential endpoints of cloud platforms, e.g. 169.254.169.254 and
   * fd00:ec2::254; see {@link AddressClassifier}. Opened only by an allow-list entry naming the
   * exact address.
   */
  CLOUD_METADATA("a cloud metadata address");

  private final String phrase;

  AddressClass(String phrase) {
    this.phrase = phrase;
  }

  /** How a sentence names it: "a loopback address". */
  String phrase() {
    return phrase;
  }
}
