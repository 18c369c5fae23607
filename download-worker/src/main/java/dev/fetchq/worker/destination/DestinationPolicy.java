package dev.fetchq.worker.destination;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides which of the addresses a host stands for the worker may connect to: public addresses, and
 * what {@code fetchq.worker.allowed-hosts} opens. A pure function of its inputs.
 */
final class DestinationPolicy {

  private final AllowedHosts allowed;

  DestinationPolicy(AllowedHosts allowed) {
    this.allowed = allowed;
  }

  private record Refusal(InetAddress address, AddressClass type, boolean otherPortsOnly) {}

  /**
   * @param host the host as the URL names it
   * @param port the port to connect to, or {@link AllowedHosts#ANY_PORT} when unknown
   * @param addresses what the host stands for: the literal address, or what it resolved to
   * @param literal whether the host is an IP address rather than a name
   * @return the permitted addresses, in the given order; never empty
   * @throws BlockedDestinationException when none is permitted
   */
  List<InetAddress> permitted(String host, int port, List<InetAddress> addresses, boolean literal)
      throws BlockedDestinationException {
    String name = AllowedHosts.normalize(host);
    var permitted = new ArrayList<InetAddress>(addresses.size());
    var refused = new ArrayList<Refusal>();
    for (InetAddress address : addresses) {
      AddressClass type = AddressClassifier.classify(address);
      boolean metadata = type == AddressClass.CLOUD_METADATA;
      if (type == AddressClass.PUBLIC || allowed.allows(name, address, port, metadata)) {
        permitted.add(address);
      } else {
        refused.add(new Refusal(address, type, allowed.allowsOnSomePort(name, address, metadata)));
      }
    }
    if (permitted.isEmpty()) {
      throw new BlockedDestinationException(explain(name, port, literal, refused));
    }
    return List.copyOf(permitted);
  }

  private static String explain(String host, int port, boolean literal, List<Refusal> refused) {
    if (refused.isEmpty()) {
      return host + " stands for no address";
    }
    String property = AllowedHosts.PROPERTY;
    if (refused.size() > 1) {
      String all =
          refused.stream()
              .map(r -> describe(r.address()) + " (" + r.type().phrase() + ")")
              .collect(Collectors.joining(", "));
      return host
          + " resolves only to refused addresses: "
          + all
          + "; add the host or its addresses to "
          + property
          + " to allow it";
    }
    Refusal r = refused.getFirst();
    String what = describe(r.address());
    String phrase = r.type().phrase();
    String subject;
    if (!literal) {
      subject = host + " resolves to " + what + ", " + phrase;
    } else if (isWrittenAs(r.address(), host)) {
      subject = what + " is " + phrase;
    } else {
      subject = host + " is " + what + ", " + phrase;
    }
    if (r.type() == AddressClass.CLOUD_METADATA) {
      return subject + "; only an entry naming exactly this address in " + property + " allows it";
    }
    if (r.otherPortsOnly()) {
      String target = literal ? hostPart(r.address()) : host;
      return subject
          + " and "
          + property
          + " allows it on other ports only"
          + (port > 0 ? "; add " + target + ":" + port + " to allow this one" : "");
    }
    return subject
        + "; add "
        + (literal ? "it" : "the host or the address")
        + " to "
        + property
        + " to allow it";
  }

  /**
   * Whether {@code host} is the usual way of writing {@code address}: any IPv6 form (there are
   * several), or the dotted quad; not, say, {@code 2130706433} for 127.0.0.1.
   */
  private static boolean isWrittenAs(InetAddress address, String host) {
    if (host.contains(":")) {
      try {
        return InetAddress.ofLiteral(host).equals(address);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return Addresses.format(address).equals(host);
  }

  /** The address, and for an IPv6 one leading to an IPv4 address, that address too. */
  private static String describe(InetAddress address) {
    String text = Addresses.format(address);
    return AddressClassifier.embeddedIpv4(address)
        .map(e -> text + " (" + e.kind() + " for " + Addresses.format(e.ipv4()) + ")")
        .orElse(text);
  }

  private static String hostPart(InetAddress address) {
    String text = Addresses.format(address);
    return address instanceof Inet6Address ? "[" + text + "]" : text;
  }
}
