package dev.fetchq.worker.destination;

import java.net.UnknownHostException;

/**
 * The destination guard refused every address a host stands for: the worker does not connect. Its
 * message says which address, what kind it is and how to allow it.
 *
 * <p>An {@link UnknownHostException} because that is all a {@link
 * org.apache.hc.client5.http.DnsResolver} may throw; classify it before that type.
 */
public final class BlockedDestinationException extends UnknownHostException {

  BlockedDestinationException(String message) {
    super(message);
  }
}
