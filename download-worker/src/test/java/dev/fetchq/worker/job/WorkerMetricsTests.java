package dev.fetchq.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.model.FailureReason;
import dev.fetchq.testsupport.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The worker's series as Prometheus scrapes them: names, tags and buckets, at zero from start. */
class WorkerMetricsTests {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final WorkerMetrics metrics = new WorkerMetrics(registry);

  @Test
  void everyCounterIsExportedAtZeroForEveryTagValueBeforeTheFirstJob() {
    PrometheusText scrape = PrometheusText.parse(registry.scrape());

    for (String outcome :
        List.of(
            "succeeded",
            "dead_lettered",
            "retried",
            "cancelled",
            "requeued",
            "poison",
            "rejected")) {
      assertThat(scrape.named("fetchq_worker_jobs_total", "outcome", outcome))
          .as(outcome)
          .singleElement()
          .extracting(PrometheusText.Series::value)
          .isEqualTo(0.0);
    }
    for (FailureReason reason : FailureReason.values()) {
      for (String name :
          List.of(
              "fetchq_worker_retries_total",
              "fetchq_worker_dead_letters_total",
              "fetchq_worker_failures_total")) {
        assertThat(scrape.named(name, "reason", reason.name()))
            .as(name + " " + reason)
            .singleElement()
            .extracting(PrometheusText.Series::value)
            .isEqualTo(0.0);
      }
    }
    assertThat(scrape.named("fetchq_worker_bytes_total"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 0.0);
    assertThat(scrape.named("fetchq_worker_inflight"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 0.0);
  }

  @Test
  void histogramsPublishBucketsSuitedToDownloads() {
    PrometheusText scrape = PrometheusText.parse(registry.scrape());

    for (String outcome : List.of("succeeded", "failed")) {
      assertThat(
              bounds(
                  scrape.named(
                      "fetchq_worker_download_duration_seconds_bucket", "outcome", outcome)))
          .as(outcome)
          .containsExactly(
              0.01,
              0.025,
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
    assertThat(bounds(scrape.named("fetchq_worker_time_to_first_byte_seconds_bucket")))
        .containsExactly(
            0.005,
            0.01,
            0.025,
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
            Double.POSITIVE_INFINITY);
    assertThat(bounds(scrape.named("fetchq_worker_job_bytes_bucket")))
        .startsWith(1024.0, 4096.0, 16384.0)
        .contains(1024.0 * 1024 * 1024)
        .endsWith(16.0 * 1024 * 1024 * 1024, Double.POSITIVE_INFINITY);
    assertThat(scrape.named("fetchq_worker_job_bytes_count")).hasSize(1);
    assertThat(scrape.named("fetchq_worker_job_bytes_sum")).hasSize(1);
  }

  @Test
  void whatIsDeadLetteredCountsUnderItsReason() {
    metrics.deadLettered(FailureReason.HTTP_CLIENT_ERROR);
    metrics.poison();
    metrics.started();
    metrics.finished(Disposition.REJECTED);

    PrometheusText scrape = PrometheusText.parse(registry.scrape());
    assertThat(deadLetters(scrape))
        .containsEntry("HTTP_CLIENT_ERROR", 1.0)
        .containsEntry("POISON", 1.0)
        .containsEntry("UNKNOWN", 1.0)
        .containsEntry("TIMEOUT", 0.0);
    assertThat(scrape.named("fetchq_worker_jobs_total", "outcome", "poison"))
        .singleElement()
        .hasFieldOrPropertyWithValue("value", 1.0);
  }

  @Test
  void sizesAndTimesLandInTheirBuckets() {
    metrics.stored(3 * 1024 * 1024);
    metrics.firstByte(Duration.ofMillis(40));

    PrometheusText scrape = PrometheusText.parse(registry.scrape());
    assertThat(cumulative(scrape.named("fetchq_worker_job_bytes_bucket")))
        .containsEntry(1024.0 * 1024, 0.0)
        .containsEntry(4.0 * 1024 * 1024, 1.0);
    assertThat(cumulative(scrape.named("fetchq_worker_time_to_first_byte_seconds_bucket")))
        .containsEntry(0.025, 0.0)
        .containsEntry(0.05, 1.0);
  }

  private static List<Double> bounds(List<PrometheusText.Series> buckets) {
    return buckets.stream().map(WorkerMetricsTests::le).sorted().toList();
  }

  private static Map<Double, Double> cumulative(List<PrometheusText.Series> buckets) {
    return buckets.stream()
        .collect(Collectors.toMap(WorkerMetricsTests::le, PrometheusText.Series::value));
  }

  private static Map<String, Double> deadLetters(PrometheusText scrape) {
    return scrape.named("fetchq_worker_dead_letters_total").stream()
        .collect(Collectors.toMap(s -> s.labels().get("reason"), PrometheusText.Series::value));
  }

  private static double le(PrometheusText.Series bucket) {
    String le = bucket.labels().get("le");
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }
}
