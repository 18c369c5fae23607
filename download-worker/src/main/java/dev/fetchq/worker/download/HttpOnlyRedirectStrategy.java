package dev.fetchq.worker.download;

import java.net.URI;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Follows a redirect only to a URL the worker would accept from a client, so that a redirect to,
 * say, {@code ftp:} fails as an invalid URL rather than an unclassified protocol error.
 */
final class HttpOnlyRedirectStrategy extends DefaultRedirectStrategy {

  @Override
  public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context)
      throws HttpException {
    URI location = super.getLocationURI(request, response, context);
    try {
      return DownloadUrl.parse(location.toString());
    } catch (DownloadRejectedException e) {
      throw new RedirectException("redirect to " + location + " refused: " + e.getMessage());
    }
  }
}
