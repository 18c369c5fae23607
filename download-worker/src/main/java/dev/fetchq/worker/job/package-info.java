/**
 * Consuming job messages: one attempt per delivery (announce, download, settle), the decision what
 * a failure leads to, and publishing that outcome before the message is acknowledged.
 */
package dev.fetchq.worker.job;
