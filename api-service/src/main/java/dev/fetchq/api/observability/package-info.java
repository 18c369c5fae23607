/**
 * What every meter of this process shares: the {@code instance_id} tag ({@link
 * dev.fetchq.api.observability.InstanceProperties}). No API.
 */
package dev.fetchq.api.observability;
