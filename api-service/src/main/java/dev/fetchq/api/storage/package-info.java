/**
 * Read access to downloaded files. API for other features: {@link dev.fetchq.api.storage.Storage}.
 */
package dev.fetchq.api.storage;
