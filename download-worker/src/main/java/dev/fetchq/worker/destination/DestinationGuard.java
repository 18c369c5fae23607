package dev.fetchq.worker.destination;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The SSRF guard, in the one place every connection's addresses come from. HttpClient's connection
 * operator asks this resolver for the addresses of each hop's host (the first request and every
 * redirect) and connects to exactly the addresses it returns: resolving once and checking what was
 * resolved leaves no window for DNS rebinding between the check and the connection. A host that is
 * an IP address is checked the same way, without any lookup.
 *
 * <p>Addresses that are refused are left out; when none is left the connection fails with a {@link
 * BlockedDestinationException}. This holds as long as the client uses no proxy (it would resolve
 * the proxy's name instead) and is not given pre-resolved hosts.
 */
final class DestinationGuard implements DnsResolver {

  private final DestinationPolicy policy;
  private final DnsResolver resolver;

  /**
   * @param resolver looks names up (the system resolver); never asked about IP addresses
   */
  DestinationGuard(DestinationPolicy policy, DnsResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    return permitted(host, port).stream().map(a -> new InetSocketAddress(a, port)).toList();
  }

  /** Without a port, only allow-list entries that name no port apply. */
  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    return permitted(host, AllowedHosts.ANY_PORT).toArray(InetAddress[]::new);
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    // Only used for SPNEGO/Kerberos, which downloads do not use; it connects to nothing.
    return resolver.resolveCanonicalHostname(host);
  }

  private List<InetAddress> permitted(String host, int port) throws UnknownHostException {
    InetAddress literal = literal(host);
    List<InetAddress> addresses =
        literal != null ? List.of(literal) : List.of(resolver.resolve(host));
    if (addresses.isEmpty()) {
      throw new UnknownHostException(host);
    }
    return policy.permitted(host, port, addresses, literal != null);
  }

  /** The address a host written as an IP address stands for (no lookup), or {@code null}. */
  private static InetAddress literal(String host) {
    try {
      return InetAddress.ofLiteral(host.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
