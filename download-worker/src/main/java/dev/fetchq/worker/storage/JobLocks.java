package dev.fetchq.worker.storage;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive per-job locks that hold across every worker process sharing the storage: an OS
 * byte-range lock ({@code fcntl}) on one byte of the file {@code <root>/.locks}, at an offset
 * derived from the job id, and an in-process set for this JVM's own threads.
 *
 * <p>Why not a {@code <jobId>.lock} file per job: such files must be deleted some time, and a file
 * deleted while another process waits to lock it lets two processes hold "the" lock (one on the
 * deleted file, one on its successor). Byte ranges of one file that is never deleted have no such
 * race and leave nothing behind. Two jobs share an offset only if 62 bits of their ids agree; the
 * cost would be one needless deferral.
 *
 * <p>POSIX drops all of a process's locks on a file when it closes any descriptor of that file, so
 * this class keeps one channel open for the life of the process and never opens a second one. It is
 * an {@link AsynchronousFileChannel} because a {@code FileChannel} is closed when a thread using it
 * is interrupted (the worker interrupts downloads when it stops), which would release every lock at
 * once; asynchronous channels are not interruptible.
 *
 * <p>The locks hold across hosts only if the file system implements byte-range locks for all its
 * clients: local disks and NFSv4 (EFS, Filestore, Azure Files over NFS, most NAS) do; object-store
 * FUSE mounts (s3fs, gcsfuse) do not. On NFS the lock of a worker that died is released when its
 * lease expires (typically 90 s), and the job is deferred until then.
 */
final class JobLocks implements AutoCloseable {

  private final AsynchronousFileChannel channel;
  private final Set<UUID> heldHere = ConcurrentHashMap.newKeySet();

  JobLocks(Path file) throws IOException {
    this.channel =
        AsynchronousFileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /**
   * @return the lock, or {@code null} when this or another process holds it
   */
  FileLock tryLock(UUID jobId) throws IOException {
    if (!heldHere.add(jobId)) {
      return null;
    }
    try {
      FileLock lock = channel.tryLock(offset(jobId), 1, false);
      if (lock == null) {
        heldHere.remove(jobId);
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      // Another job of this JVM with the same offset.
      heldHere.remove(jobId);
      return null;
    } catch (IOException | RuntimeException e) {
      heldHere.remove(jobId);
      throw e;
    }
  }

  void release(UUID jobId, FileLock lock) throws IOException {
    try {
      lock.release();
    } finally {
      heldHere.remove(jobId);
    }
  }

  /** 62 random bits of the job id (UUIDv7 and v4 alike); positive with room for one byte. */
  static long offset(UUID jobId) {
    return jobId.getLeastSignificantBits() & 0x3fff_ffff_ffff_ffffL;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
