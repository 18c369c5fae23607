package dev.fetchq.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching, as the API server does it. */
final class Labels {

  private Labels() {}

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    var matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    for (var entry : matchLabels.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    var expressions =
        selector.getMatchExpressions() == null
            ? List.<LabelSelectorRequirement>of()
            : selector.getMatchExpressions();
    for (var expression : expressions) {
      var value = labels.get(expression.getKey());
      var matched =
          switch (expression.getOperator()) {
            case "In" -> expression.getValues().contains(value);
            case "NotIn" -> !expression.getValues().contains(value);
            case "Exists" -> labels.containsKey(expression.getKey());
            case "DoesNotExist" -> !labels.containsKey(expression.getKey());
            default -> throw new IllegalArgumentException("operator " + expression.getOperator());
          };
      if (!matched) {
        return false;
      }
    }
    return true;
  }

  /** An empty selector (selects everything in its scope). */
  static boolean isEmpty(LabelSelector selector) {
    return selector != null
        && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }
}
