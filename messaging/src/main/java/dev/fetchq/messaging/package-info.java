/**
 * Spring AMQP plumbing that api-service and download-worker share: the broker topology declared
 * from {@link dev.fetchq.model.Topology}, the one JSON message converter, and {@link
 * dev.fetchq.messaging.ConfirmedPublisher}, the only way fetchq publishes.
 */
package dev.fetchq.messaging;
