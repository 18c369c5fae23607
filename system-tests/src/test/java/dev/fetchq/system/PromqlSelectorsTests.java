package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlSelectorsTests {

  @Test
  void aComparisonYieldsItsSelector() {
    assertThat(
            PromqlSelectors.of(
                "max by (vhost, queue) (rabbitmq_detailed_queue_messages{queue=~\"fetchq\\\\..*dead-letters\\\\.v1\"}) > 0"))
        .containsExactly(
            "rabbitmq_detailed_queue_messages{queue=~\"fetchq\\\\..*dead-letters\\\\.v1\"}");
  }

  @Test
  void vectorMatchingLabelListsAreNotSelectors() {
    assertThat(
            PromqlSelectors.of(
                """
                sum by (instance) (fetchq_worker_inflight{job="download-worker"}) > 0
                and on (instance)
                sum by (instance) (increase(fetchq_worker_jobs_total{job="download-worker"}[15m])) == 0
                and ignoring (le) group_left (rabbitmq_node) rabbitmq_identity_info
                """))
        .containsExactly(
            "fetchq_worker_inflight{job=\"download-worker\"}",
            "fetchq_worker_jobs_total{job=\"download-worker\"}",
            "rabbitmq_identity_info");
  }

  @Test
  void groupLeftWithoutALabelListIsFollowedByASelector() {
    assertThat(PromqlSelectors.of("a * on(instance) group_left b{x=\"1\"}"))
        .containsExactly("a", "b{x=\"1\"}");
  }

  @Test
  void functionsKeywordsNumbersDurationsAndStringsAreNot() {
    assertThat(
            PromqlSelectors.of(
                "histogram_quantile(0.95, sum by (le) (rate(x_bucket{a=\"b}\"}[5m] offset 1h30m)))"
                    + " > bool 1e3 unless absent(up{job=\"w\"} == 1)"
                    + " or label_replace(y, \"dst\", \"$1\", \"src\", \"(.*)\") # comment z\n"
                    + " or vector(0) or max_over_time(z[10m:1m]) or Inf"))
        .containsExactly("x_bucket{a=\"b}\"}", "up{job=\"w\"}", "y", "z");
  }

  @Test
  void aSelectorWithoutAMetricNameCounts() {
    assertThat(PromqlSelectors.of("count({__name__=~\"fetchq_.+\"})"))
        .containsExactly("{__name__=~\"fetchq_.+\"}");
  }

  @Test
  void recordingRuleNamesWithColonsAreMetricNames() {
    assertThat(PromqlSelectors.of("job:fetchq_jobs:rate5m > 1"))
        .containsExactly("job:fetchq_jobs:rate5m");
  }
}
