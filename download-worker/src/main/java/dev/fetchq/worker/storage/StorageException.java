package dev.fetchq.worker.storage;

import java.io.IOException;

/**
 * The worker could not write, move or remove a file in storage (a local problem, not the origin).
 */
public class StorageException extends IOException {

  public StorageException(String message, IOException cause) {
    super(message + ": " + cause, cause);
  }
}
