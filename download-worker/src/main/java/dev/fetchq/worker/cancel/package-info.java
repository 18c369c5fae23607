/**
 * Cancellation: every worker reads the control stream from its start into a {@link
 * dev.fetchq.worker.cancel.CancellationRegistry} before it takes any job, keeps following it, and
 * stops a running download of a job the moment its cancellation arrives.
 */
package dev.fetchq.worker.cancel;
