package dev.fetchq.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL a provisioned Grafana dashboard sends to Prometheus, worked out the way Grafana does
 * it, so that a test can run every panel query against a real Prometheus:
 *
 * <ul>
 *   <li>template variables are resolved in order through Prometheus ({@code label_values}, {@code
 *       query_result}, {@code metrics}; custom and constant ones from the dashboard), keeping the
 *       saved selection where it is still valid, else All (when offered) or the first value, and
 *       formatted as Grafana formats them for Prometheus (a multi-value or All selection becomes
 *       the regex {@code (a|b)}, or the variable's {@code allValue});
 *   <li>a repeated panel is expanded once per selected value;
 *   <li>the time range is "since Prometheus started": {@code $__range} is that span, {@code
 *       $__interval} the span divided by the panel's data points, never below the scrape interval
 *       or the query's minimum interval, and {@code $__rate_interval} is max({@code $__interval} +
 *       scrape interval, 4 × scrape interval), Grafana's own rule;
 *   <li>a query marked instant is an instant query at the end of the range; any other is a range
 *       query over the whole range with {@code $__interval} as step.
 * </ul>
 */
final class GrafanaQueries {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{(\\w+)(?::([^}]*))?}|\\[\\[(\\w+)(?::([^]]*))?]]|\\$(\\w+)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_]\\w*)\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern LABEL_VALUES_ONLY =
      Pattern.compile("^\\s*label_values\\(\\s*([a-zA-Z_]\\w*)\\s*\\)\\s*$");
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern METRICS = Pattern.compile("^\\s*metrics\\((.*)\\)\\s*$");

  /** A panel query ready to run. */
  record Query(
      String dashboard, String panel, String refId, String expr, boolean instant, Duration step) {

    /** "dashboard uid / panel title / refId": what an allowlist names. */
    String key() {
      return dashboard + " / " + panel + " / " + refId;
    }
  }

  /** A template variable and the values Prometheus offered for it. */
  record Variable(String dashboard, String name, String query, List<String> values) {

    String key() {
      return dashboard + " / $" + name;
    }
  }

  /** All a dashboard would query, and what could not be worked out. */
  record Dashboard(
      String uid,
      String title,
      List<Variable> variables,
      List<Query> queries,
      List<String> skipped,
      List<String> problems) {}

  private record Selection(List<String> values, boolean regexFormat, String allValue) {

    String format(String formatOption) {
      if (allValue != null) {
        return allValue;
      }
      String option = formatOption == null ? (regexFormat ? "regex" : "raw") : formatOption;
      return switch (option) {
        case "raw", "text" -> String.join(",", values);
        case "csv" -> String.join(",", values);
        case "pipe" -> String.join("|", values);
        case "regex" -> {
          List<String> escaped = values.stream().map(GrafanaQueries::regexEscape).toList();
          yield escaped.size() == 1 ? escaped.getFirst() : "(" + String.join("|", escaped) + ")";
        }
        default -> String.join(",", values);
      };
    }
  }

  private final PrometheusProcess prometheus;
  private final Instant start;
  private final Instant end;
  private final Duration scrapeInterval;

  /** Queries over the range from {@code start} to {@code end}, scraped every {@code scrape}. */
  GrafanaQueries(PrometheusProcess prometheus, Instant start, Instant end, Duration scrape) {
    this.prometheus = prometheus;
    this.start = start;
    this.end = end;
    this.scrapeInterval = scrape;
  }

  Instant start() {
    return start;
  }

  Instant end() {
    return end;
  }

  Dashboard expand(Path file) {
    JsonNode dashboard;
    try {
      dashboard = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String uid = dashboard.path("uid").asString();
    List<String> problems = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, Selection> selections = new LinkedHashMap<>();
    List<Variable> variables = new ArrayList<>();

    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String name = variable.path("name").asString();
      String type = variable.path("type").asString();
      String query = queryText(variable);
      List<String> values =
          switch (type) {
            case "query" -> {
              String interpolated = interpolate(query, selections, Map.of(), problems, name);
              List<String> found =
                  applyRegex(variableValues(interpolated, problems, name), variable);
              variables.add(new Variable(uid, name, interpolated, found));
              yield found;
            }
            case "custom" -> splitCustom(query);
            case "constant", "textbox" -> List.of(query);
            case "interval" -> List.of(splitCustom(query).getFirst());
            default -> {
              skipped.add("variable $" + name + " of type " + type);
              yield null;
            }
          };
      if (values != null) {
        selections.put(name, select(variable, values));
      }
    }

    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      String title = panel.path("title").asString();
      if (panel.path("targets").isEmpty()) {
        continue;
      }
      for (Map<String, Selection> repeat : repetitions(panel, selections)) {
        String label = repeat == selections ? title : title + " [" + describe(repeat, panel) + "]";
        for (JsonNode target : panel.path("targets")) {
          String refId = target.path("refId").asString();
          if (target.path("hide").asBoolean(false)) {
            skipped.add(uid + " / " + label + " / " + refId + " (hidden)");
            continue;
          }
          Duration step = interval(panel, target);
          Map<String, String> macros = macros(step);
          String expr =
              interpolate(
                  target.path("expr").asString(), repeat, macros, problems, label + "/" + refId);
          boolean instant =
              target.path("instant").asBoolean(false) && !target.path("range").asBoolean(false);
          queries.add(new Query(uid, label, refId, expr, instant, step));
        }
      }
    }
    return new Dashboard(
        uid, dashboard.path("title").asString(), variables, queries, skipped, problems);
  }

  private static String queryText(JsonNode variable) {
    JsonNode query = variable.path("query");
    return query.isObject() ? query.path("query").asString() : query.asString();
  }

  private List<String> variableValues(String query, List<String> problems, String name) {
    Set<String> values = new LinkedHashSet<>();
    Matcher matcher;
    if ((matcher = LABEL_VALUES.matcher(query)).matches()) {
      String label = matcher.group(2);
      JsonNode answer = prometheus.series(matcher.group(1).strip());
      requireSuccess(answer, "variable $" + name + ": " + query, problems);
      for (JsonNode series : answer.path("data")) {
        if (series.has(label)) {
          values.add(series.path(label).asString());
        }
      }
    } else if ((matcher = LABEL_VALUES_ONLY.matcher(query)).matches()) {
      JsonNode answer = prometheus.labelValues(matcher.group(1));
      requireSuccess(answer, "variable $" + name + ": " + query, problems);
      answer.path("data").forEach(v -> values.add(v.asString()));
    } else if ((matcher = QUERY_RESULT.matcher(query)).matches()) {
      JsonNode answer = prometheus.query(matcher.group(1));
      requireSuccess(answer, "variable $" + name + ": " + query, problems);
      for (JsonNode result : answer.path("data").path("result")) {
        StringBuilder text = new StringBuilder(result.path("metric").path("__name__").asString());
        List<String> labels = new ArrayList<>();
        result
            .path("metric")
            .properties()
            .forEach(
                e -> {
                  if (!e.getKey().equals("__name__")) {
                    labels.add(e.getKey() + "=\"" + e.getValue().asString() + "\"");
                  }
                });
        text.append('{').append(String.join(", ", labels)).append('}');
        text.append(' ').append(result.path("value").get(1).asString());
        text.append(' ').append(result.path("value").get(0).asString());
        values.add(text.toString());
      }
    } else if ((matcher = METRICS.matcher(query)).matches()) {
      Pattern pattern = Pattern.compile(matcher.group(1).strip());
      JsonNode answer = prometheus.labelValues("__name__");
      requireSuccess(answer, "variable $" + name + ": " + query, problems);
      answer
          .path("data")
          .forEach(
              v -> {
                if (pattern.matcher(v.asString()).find()) {
                  values.add(v.asString());
                }
              });
    } else {
      problems.add("variable $" + name + ": query not understood: " + query);
    }
    return List.copyOf(values);
  }

  private static void requireSuccess(JsonNode answer, String what, List<String> problems) {
    if (!"success".equals(answer.path("status").asString())) {
      problems.add(what + " failed: " + answer.path("error").asString());
    }
  }

  /** Grafana's variable regex: keeps matching values, or the first capture group's text. */
  private static List<String> applyRegex(List<String> values, JsonNode variable) {
    String regex = variable.path("regex").asString();
    if (regex.isBlank()) {
      return values;
    }
    Matcher literal = Pattern.compile("^/(.*)/([gimsuy]*)$", Pattern.DOTALL).matcher(regex);
    Pattern pattern =
        literal.matches()
            ? Pattern.compile(
                literal.group(1), literal.group(2).contains("i") ? Pattern.CASE_INSENSITIVE : 0)
            : Pattern.compile(regex);
    Set<String> kept = new LinkedHashSet<>();
    for (String value : values) {
      Matcher matcher = pattern.matcher(value);
      if (matcher.find()) {
        kept.add(matcher.groupCount() >= 1 && matcher.group(1) != null ? matcher.group(1) : value);
      }
    }
    return List.copyOf(kept);
  }

  private static List<String> splitCustom(String query) {
    List<String> values = new ArrayList<>();
    for (String part : query.split("(?<!\\\\),")) {
      String value = part.strip();
      int colon = value.indexOf(" : ");
      values.add(colon >= 0 ? value.substring(colon + 3) : value);
    }
    return values;
  }

  /** The selection Grafana makes on load: the saved one if still offered, else All or the first. */
  private static Selection select(JsonNode variable, List<String> values) {
    boolean multi = variable.path("multi").asBoolean(false);
    boolean includeAll = variable.path("includeAll").asBoolean(false);
    boolean regexFormat = multi || includeAll;
    String allValue =
        variable.path("allValue").isString() ? variable.path("allValue").asString() : null;
    JsonNode current = variable.path("current").path("value");
    List<String> saved = new ArrayList<>();
    if (current.isArray()) {
      current.forEach(v -> saved.add(v.asString()));
    } else if (current.isString()) {
      saved.add(current.asString());
    }
    boolean savedAll = saved.contains("$__all");
    if (!savedAll && !saved.isEmpty() && values.containsAll(saved)) {
      return new Selection(saved, regexFormat, null);
    }
    if (includeAll && (savedAll || saved.isEmpty() || !values.containsAll(saved))) {
      return new Selection(values, true, allValue == null || allValue.isEmpty() ? null : allValue);
    }
    return new Selection(
        values.isEmpty() ? List.of("") : List.of(values.getFirst()), regexFormat, null);
  }

  /** The variable selections a panel is drawn with: one per value of its repeat variable. */
  private static List<Map<String, Selection>> repetitions(
      JsonNode panel, Map<String, Selection> selections) {
    String repeat = panel.path("repeat").asString();
    Selection selection = selections.get(repeat);
    if (repeat.isBlank() || selection == null || selection.values().size() <= 1) {
      return List.of(selections);
    }
    List<Map<String, Selection>> repetitions = new ArrayList<>();
    for (String value : selection.values()) {
      Map<String, Selection> single = new LinkedHashMap<>(selections);
      single.put(repeat, new Selection(List.of(value), false, null));
      repetitions.add(single);
    }
    return repetitions;
  }

  private static String describe(Map<String, Selection> repeat, JsonNode panel) {
    String name = panel.path("repeat").asString();
    return name + "=" + repeat.get(name).values().getFirst();
  }

  private Duration interval(JsonNode panel, JsonNode target) {
    long rangeSeconds = Math.max(1, Duration.between(start, end).toSeconds());
    int maxDataPoints = panel.path("maxDataPoints").asInt(0);
    long points = maxDataPoints > 0 ? maxDataPoints : 1000;
    Duration minimum = scrapeInterval;
    for (String candidate :
        List.of(
            target == null ? "" : target.path("interval").asString(),
            panel.path("interval").asString())) {
      Duration parsed = parseDuration(candidate.replace(">", ""));
      if (parsed != null) {
        minimum = parsed;
        break;
      }
    }
    Duration interval = Duration.ofSeconds((rangeSeconds + points - 1) / points);
    return interval.compareTo(minimum) < 0 ? minimum : interval;
  }

  private Map<String, String> macros(Duration interval) {
    Duration range = Duration.ofSeconds(Math.max(1, Duration.between(start, end).toSeconds()));
    Duration rateInterval = interval.plus(scrapeInterval);
    Duration fourScrapes = scrapeInterval.multipliedBy(4);
    if (rateInterval.compareTo(fourScrapes) < 0) {
      rateInterval = fourScrapes;
    }
    Map<String, String> macros = new LinkedHashMap<>();
    macros.put("__rate_interval", rateInterval.toSeconds() + "s");
    macros.put("__rate_interval_ms", Long.toString(rateInterval.toMillis()));
    macros.put("__interval", interval.toSeconds() + "s");
    macros.put("__interval_ms", Long.toString(interval.toMillis()));
    macros.put("__range", range.toSeconds() + "s");
    macros.put("__range_s", Long.toString(range.toSeconds()));
    macros.put("__range_ms", Long.toString(range.toMillis()));
    macros.put("__from", Long.toString(start.toEpochMilli()));
    macros.put("__to", Long.toString(end.toEpochMilli()));
    return macros;
  }

  private static String interpolate(
      String text,
      Map<String, Selection> selections,
      Map<String, String> macros,
      List<String> problems,
      String where) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name =
          matcher.group(1) != null
              ? matcher.group(1)
              : matcher.group(3) != null ? matcher.group(3) : matcher.group(5);
      String format = matcher.group(2) != null ? matcher.group(2) : matcher.group(4);
      String replacement;
      if (macros.containsKey(name)) {
        replacement = macros.get(name);
      } else if (selections.containsKey(name)) {
        replacement = selections.get(name).format(format);
      } else {
        problems.add(where + ": $" + name + " is not defined");
        replacement = matcher.group();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    collect(dashboard.path("panels"), all);
    return all;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (JsonNode panel : panels) {
      into.add(panel);
      collect(panel.path("panels"), into);
    }
  }

  private static Duration parseDuration(String text) {
    Matcher matcher = Pattern.compile("^(\\d+)(ms|s|m|h|d)$").matcher(text.strip());
    if (!matcher.matches()) {
      return null;
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** Grafana's escaping of a value placed in a Prometheus regex. */
  private static String regexEscape(String value) {
    return value.replaceAll("[\\\\^$*+?.()|{}\\[\\]]", "\\\\\\\\$0");
  }
}
