package dev.fetchq.api.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Gauge {@code fetchq.jobs.state}: how many jobs are queued, running or waiting for a retry, by
 * {@code status}, across all replicas (read from the database, so every replica reports the same:
 * aggregate with {@code max}, not {@code sum}). Final statuses are not here: they only grow, and
 * {@code fetchq.jobs.finished} counts them.
 *
 * <p>One grouped query serves all three series, and its answer is kept for {@link #MAX_AGE}, so
 * neither a scrape nor several scrapers in a row cost more than one cheap query. While the database
 * cannot answer, the gauges read NaN ("unknown") rather than a stale or a false zero count.
 */
@Component
class JobStateMetrics implements MeterBinder {

  static final Duration MAX_AGE = Duration.ofSeconds(5);
  static final List<JobStatus> ACTIVE =
      List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRY_SCHEDULED);

  private static final Logger log = LoggerFactory.getLogger(JobStateMetrics.class);

  private final Supplier<Map<JobStatus, Long>> query;
  private final LongSupplier nanoTime;
  private Map<JobStatus, Long> counts;
  private boolean read;
  private long readAt;

  @Autowired
  JobStateMetrics(JobRepository jobs) {
    this(jobs::countActive, System::nanoTime);
  }

  JobStateMetrics(Supplier<Map<JobStatus, Long>> query, LongSupplier nanoTime) {
    this.query = query;
    this.nanoTime = nanoTime;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (JobStatus status : ACTIVE) {
      Gauge.builder("fetchq.jobs.state", this, metrics -> metrics.count(status))
          .description("Jobs not yet final, by status (from the database, all replicas)")
          .tag("status", status.name())
          .strongReference(true)
          .register(registry);
    }
  }

  /** The number of jobs in {@code status}, at most {@link #MAX_AGE} old; NaN when unknown. */
  synchronized double count(JobStatus status) {
    long now = nanoTime.getAsLong();
    if (!read || now - readAt >= MAX_AGE.toNanos()) {
      read = true;
      readAt = now;
      counts = query();
    }
    return counts == null ? Double.NaN : counts.getOrDefault(status, 0L);
  }

  private Map<JobStatus, Long> query() {
    try {
      return query.get();
    } catch (DataAccessException e) {
      // Reported as NaN; the database outage itself shows in health and in every request.
      log.debug("Job states not counted: {}", e.toString());
      return null;
    }
  }
}
