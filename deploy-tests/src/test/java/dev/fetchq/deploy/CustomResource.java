package dev.fetchq.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A custom resource fetchq renders. fabric8's core model has no classes for them, so each is a
 * record of our own that lists only the fields the CRD defines and fetchq uses: parsed with {@link
 * KubernetesModel#STRICT}, a field the record does not know fails the parse (the API server would
 * prune or reject it), and compact constructors reject a missing required field.
 */
interface CustomResource {

  String apiVersion();

  String kind();

  ObjectMeta metadata();

  static void require(boolean present, String field) {
    if (!present) {
      throw new IllegalArgumentException("missing required field " + field);
    }
  }

  static void requireText(String value, String field) {
    require(value != null && !value.isBlank(), field);
  }
}
