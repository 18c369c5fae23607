package dev.fetchq.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code fetchq.web.max-request-body}, whether the client declares a length
 * or streams chunks. Reading past the cap fails with {@link RequestBodyTooLargeException}, which
 * {@link ProblemHandling} answers with 413.
 */
@EnableConfigurationProperties(WebApiProperties.class)
@Component
class RequestBodyLimitFilter extends OncePerRequestFilter {

  private final DataSize limit;

  RequestBodyLimitFilter(WebApiProperties properties) {
    this.limit = properties.maxRequestBody();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new LimitedRequest(request, limit), response);
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private final DataSize limit;
    private ServletInputStream body;

    LimitedRequest(HttpServletRequest request, DataSize limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (body == null) {
        body = new LimitedInputStream(super.getInputStream(), getContentLengthLong(), limit);
      }
      return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long declaredLength;
    private final DataSize limit;
    private long count;

    LimitedInputStream(ServletInputStream in, long declaredLength, DataSize limit) {
      this.in = in;
      this.declaredLength = declaredLength;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      checkDeclaredLength();
      int b = in.read();
      if (b != -1) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      checkDeclaredLength();
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void checkDeclaredLength() throws RequestBodyTooLargeException {
      if (declaredLength > limit.toBytes()) {
        throw new RequestBodyTooLargeException(limit);
      }
    }

    private void count(int n) throws RequestBodyTooLargeException {
      count += n;
      if (count > limit.toBytes()) {
        throw new RequestBodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
