/** Publishing the worker's {@link dev.fetchq.model.JobEvent}s, each confirmed by the broker. */
package dev.fetchq.worker.events;
