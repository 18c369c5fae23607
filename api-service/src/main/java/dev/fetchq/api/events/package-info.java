/** The RabbitMQ listener that feeds worker events to the job projection. No API. */
package dev.fetchq.api.events;
