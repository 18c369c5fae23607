/**
 * Where downloads are written: the file layout under {@code fetchq.storage.dir} and the
 * write-then-rename protocol that keeps partial files out of sight.
 */
package dev.fetchq.worker.storage;
