/**
 * The destination guard that keeps the worker from becoming an SSRF proxy: it refuses loopback,
 * private, link-local, metadata and other non-public addresses unless {@code
 * fetchq.worker.allowed-hosts} opens them, checks every redirect hop, and is the resolver the HTTP
 * client connects through, so the address checked is the address connected to.
 */
package dev.fetchq.worker.destination;
