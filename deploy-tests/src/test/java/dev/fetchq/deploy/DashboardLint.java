package dev.fetchq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a dashboard fail when Grafana provisions it from a file rather than importing it
 * through the UI: placeholders nobody fills in ({@code __inputs}, {@code ${DS_PROMETHEUS}}), a
 * datasource other than the provisioned one, variables used but never defined, duplicate ids.
 * Whether the queries return data is the system test's job (ObservabilitySystemIT).
 */
final class DashboardLint {

  /** Grafana's own variables, defined in every dashboard. */
  static final Set<String> BUILT_IN_VARIABLES =
      Set.of(
          "__interval",
          "__interval_ms",
          "__rate_interval",
          "__rate_interval_ms",
          "__range",
          "__range_s",
          "__range_ms",
          "__from",
          "__to",
          "__dashboard",
          "__org",
          "__user",
          "__timezone");

  /** $name, ${name}, ${name:format}, [[name]], [[name:format]]. */
  static final Pattern VARIABLE_REFERENCE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^]]*)?]]|\\$(\\w+)");

  /** Panel types that show no query results. */
  private static final Set<String> WITHOUT_QUERIES = Set.of("row", "text", "dashlist", "news");

  private static final Set<String> SHARING_KEYS = Set.of("__inputs", "__requires", "__elements");

  private DashboardLint() {}

  static List<String> problems(JsonNode dashboard, Set<String> datasourceUids) {
    var problems = new ArrayList<String>();
    if (dashboard.path("uid").asText().isBlank()) {
      problems.add("no uid (links and the provisioned copy rely on a fixed one)");
    }
    if (dashboard.path("title").asText().isBlank()) {
      problems.add("no title");
    }
    if (!dashboard.path("id").isMissingNode() && !dashboard.path("id").isNull()) {
      problems.add("an id (" + dashboard.path("id") + "): Grafana assigns it; use null");
    }
    SHARING_KEYS.stream()
        .filter(dashboard::has)
        .forEach(key -> problems.add(key + ": only a UI import fills that in"));
    var text = dashboard.toString();
    if (Pattern.compile("\\$\\{?DS_|\\[\\[DS_").matcher(text).find()) {
      problems.add("a ${DS_...} datasource placeholder");
    }

    var defined = new HashSet<>(BUILT_IN_VARIABLES);
    var referencing = new ArrayList<String[]>();
    for (var variable : dashboard.path("templating").path("list")) {
      var name = variable.path("name").asText();
      var where = "variable " + name;
      if (!defined.add(name)) {
        problems.add(where + " is defined twice");
      }
      switch (variable.path("type").asText()) {
        case "datasource" -> problems.add(where + " chooses a datasource: provision one instead");
        case "query" -> {
          checkDatasource(variable.path("datasource"), datasourceUids, where, problems);
          var query = Dashboards.variableQuery(variable);
          if (query.isBlank()) {
            problems.add(where + " has no query");
          }
          referencing.add(new String[] {where, query});
        }
        default -> {
          // custom, constant, interval, textbox: values in the dashboard itself
        }
      }
    }

    var panelIds = new HashSet<String>();
    for (var panel : Dashboards.panels(dashboard)) {
      var type = panel.path("type").asText();
      var where = "panel " + panel.path("id") + " '" + panel.path("title").asText() + "'";
      if (!panelIds.add(panel.path("id").asText())) {
        problems.add(where + ": duplicate panel id");
      }
      referencing.add(new String[] {where + " title", panel.path("title").asText()});
      referencing.add(new String[] {where + " repeat", panel.path("repeat").asText()});
      if (WITHOUT_QUERIES.contains(type)) {
        continue;
      }
      checkDatasource(panel.path("datasource"), datasourceUids, where, problems);
      if (panel.path("targets").isEmpty()) {
        problems.add(where + " has no queries");
      }
      for (var target : panel.path("targets")) {
        var refId = where + " query " + target.path("refId").asText();
        checkDatasource(target.path("datasource"), datasourceUids, refId, problems);
        var expr = target.path("expr").asText();
        if (expr.isBlank() && !target.path("hide").asBoolean(false)) {
          problems.add(refId + " has no expr");
        }
        referencing.add(new String[] {refId, expr});
      }
    }

    for (var reference : referencing) {
      var matcher = VARIABLE_REFERENCE.matcher(reference[1]);
      while (matcher.find()) {
        var name = firstNonNull(matcher.group(1), matcher.group(2), matcher.group(3));
        if (!defined.contains(name)) {
          problems.add(reference[0] + " uses $" + name + ", which is not defined");
        }
      }
    }

    for (var annotation : dashboard.path("annotations").path("list")) {
      var datasource = annotation.path("datasource");
      var builtIn = datasource.path("type").asText().equals("grafana");
      if (!builtIn) {
        checkDatasource(
            datasource, datasourceUids, "annotation " + annotation.path("name").asText(), problems);
      }
    }
    return problems;
  }

  private static void checkDatasource(
      JsonNode datasource, Set<String> uids, String where, List<String> problems) {
    if (!datasource.isObject()
        || !datasource.path("type").asText().equals("prometheus")
        || !uids.contains(datasource.path("uid").asText())) {
      problems.add(where + ": datasource " + datasource + " is not the provisioned " + uids);
    }
  }

  private static String firstNonNull(String... values) {
    for (var value : values) {
      if (value != null) {
        return value;
      }
    }
    throw new IllegalStateException();
  }
}
