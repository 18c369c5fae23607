/**
 * HTTP concerns shared by every endpoint: problem details for all errors, the request body limit
 * and the OpenAPI description. No API for other features.
 */
package dev.fetchq.api.web;
