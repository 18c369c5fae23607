package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobFixtures.CREATED;
import static dev.fetchq.api.job.JobFixtures.aDeadJob;
import static dev.fetchq.api.job.JobFixtures.aSucceededJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.testsupport.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The job series as Prometheus scrapes them: at zero from the start, latency in buckets. */
class JobMetricsTests {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JobMetrics metrics = new JobMetrics(registry);

  @Test
  void everyOutcomeIsExportedAtZeroBeforeTheFirstJob() {
    PrometheusText scrape = PrometheusText.parse(registry.scrape());

    assertThat(scrape.named("fetchq_jobs_submitted_total"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 0.0);
    for (String outcome : List.of("succeeded", "dead", "cancelled")) {
      assertThat(scrape.named("fetchq_jobs_finished_total", "outcome", outcome))
          .singleElement()
          .hasFieldOrPropertyWithValue("value", 0.0);
      assertThat(bounds(scrape.named("fetchq_jobs_end_to_end_seconds_bucket", "outcome", outcome)))
          .as(outcome)
          .containsExactly(
              0.05,
              0.1,
              0.25,
              0.5,
              1.0,
              2.5,
              5.0,
              10.0,
              30.0,
              60.0,
              120.0,
              300.0,
              600.0,
              1800.0,
              3600.0,
              Double.POSITIVE_INFINITY);
    }
  }

  @Test
  void aFinishedJobCountsOnceUnderItsOutcomeWithItsTimeSinceSubmission() {
    Job job = aSucceededJob(); // submitted at CREATED, finished 90 s later

    metrics.finished(job);

    PrometheusText scrape = PrometheusText.parse(registry.scrape());
    assertThat(scrape.named("fetchq_jobs_finished_total", "outcome", "succeeded"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 1.0);
    assertThat(scrape.named("fetchq_jobs_finished_total", "outcome", "dead"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 0.0);
    assertThat(scrape.named("fetchq_jobs_end_to_end_seconds_sum", "outcome", "succeeded"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 90.0);
    assertThat(
            cumulative(
                scrape.named("fetchq_jobs_end_to_end_seconds_bucket", "outcome", "succeeded")))
        .containsEntry(60.0, 0.0)
        .containsEntry(120.0, 1.0);
  }

  @Test
  void aWorkerClockBehindTheApisRecordsZeroNotANegativeLatency() {
    Job job = aDeadJob().draft().finishedAt(CREATED.minusSeconds(3)).build();

    metrics.finished(job);

    PrometheusText scrape = PrometheusText.parse(registry.scrape());
    assertThat(scrape.named("fetchq_jobs_end_to_end_seconds_count", "outcome", "dead"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 1.0);
    assertThat(scrape.named("fetchq_jobs_end_to_end_seconds_sum", "outcome", "dead"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 0.0);
  }

  private static List<Double> bounds(List<PrometheusText.Series> buckets) {
    return buckets.stream().map(JobMetricsTests::le).sorted().toList();
  }

  private static Map<Double, Double> cumulative(List<PrometheusText.Series> buckets) {
    return buckets.stream()
        .collect(Collectors.toMap(JobMetricsTests::le, PrometheusText.Series::value));
  }

  private static double le(PrometheusText.Series bucket) {
    String le = bucket.labels().get("le");
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }
}
