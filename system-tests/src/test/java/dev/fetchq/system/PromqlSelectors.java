package dev.fetchq.system;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The series selectors inside a PromQL expression ({@code name{matchers}}, {@code name}, {@code
 * {matchers}}), without their range or offset.
 *
 * <p>Why: an alert expression is a comparison, empty while it does not fire, so "it returned
 * nothing" proves nothing about whether its metrics exist. Each selector it is built from must
 * return series on its own; a misspelt metric or label then fails the test instead of silencing the
 * alert forever. Extracting selectors was preferred over evaluating the expression with its
 * comparison removed: that still leaves {@code and}/{@code unless} filters, {@code absent()} and
 * aggregations that hide which part is empty, while each selector is checked on its own.
 *
 * <p>A small tokenizer, not a full parser: strings, {@code {...}} matchers, {@code [...]} ranges
 * and subqueries, comments, numbers and durations are read as units; an identifier followed by
 * {@code (}, {@code by} or {@code without} is a function or aggregation, keywords and the label
 * lists after {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right} are skipped. Every other identifier is a metric name. PromqlSelectorsTests
 * pins it.
 */
final class PromqlSelectors {

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private enum Kind {
    IDENTIFIER,
    MATCHERS,
    OPEN,
    OTHER
  }

  private record Token(Kind kind, String text) {}

  private PromqlSelectors() {}

  /** Every distinct selector, in order of appearance. */
  static List<String> of(String expr) {
    List<Token> tokens = tokenize(expr);
    Set<String> selectors = new LinkedHashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      if (token.kind() == Kind.MATCHERS) {
        selectors.add(token.text());
      } else if (token.kind() == Kind.IDENTIFIER) {
        String word = token.text().toLowerCase(Locale.ROOT);
        if (LABEL_LIST_KEYWORDS.contains(word)) {
          if (next != null && next.kind() == Kind.OPEN) {
            i = skipGroup(tokens, i + 1);
          }
        } else if (KEYWORDS.contains(word)
            || (next != null && next.kind() == Kind.OPEN)
            || (next != null
                && Set.of("by", "without").contains(next.text().toLowerCase(Locale.ROOT)))) {
          // a keyword, a function or aggregation call, or an aggregation with `by (...)` first
        } else if (next != null && next.kind() == Kind.MATCHERS) {
          selectors.add(token.text() + next.text());
          i++;
        } else {
          selectors.add(token.text());
        }
      }
    }
    return List.copyOf(selectors);
  }

  /** Index of the ")" closing the "(" at {@code open}. */
  private static int skipGroup(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      String text = tokens.get(i).text();
      if (text.equals("(")) {
        depth++;
      } else if (text.equals(")") && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses");
  }

  private static List<Token> tokenize(String expr) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < expr.length() && expr.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i);
        tokens.add(new Token(Kind.OTHER, "string"));
      } else if (c == '{') {
        int end = endOf(expr, i, '{', '}');
        tokens.add(new Token(Kind.MATCHERS, expr.substring(i, end)));
        i = end;
      } else if (c == '[') {
        i = endOf(expr, i, '[', ']');
        tokens.add(new Token(Kind.OTHER, "range"));
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < expr.length() && isDigit(expr, i + 1))) {
        // numbers, 1e3, 0x1f and durations such as 1h30m
        while (i < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.OTHER, "number"));
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(i)) || "_:".indexOf(expr.charAt(i)) >= 0)) {
          i++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, expr.substring(start, i)));
      } else if (c == '(') {
        tokens.add(new Token(Kind.OPEN, "("));
        i++;
      } else {
        tokens.add(new Token(Kind.OTHER, String.valueOf(c)));
        i++;
      }
    }
    return tokens;
  }

  private static boolean isDigit(String s, int i) {
    return Character.isDigit(s.charAt(i));
  }

  private static int endOfString(String s, int start) {
    char quote = s.charAt(start);
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unterminated string in " + s);
  }

  /** Index after the {@code close} matching the {@code open} at {@code start}, strings skipped. */
  private static int endOf(String s, int start, char open, char close) {
    int depth = 0;
    int i = start;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unbalanced " + open + close + " in " + s);
  }
}
