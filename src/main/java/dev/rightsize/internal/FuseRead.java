package dev.rightsize.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads on a FUSE filesystem (LXCFS) with a deadline: the read runs on a daemon thread, and a read
 * that does not finish in time marks the filesystem stuck for the rest of the view's use;
 * process-wide, no second thread is started for a file whose earlier read is still blocked. Kept
 * apart from {@link ViewFs} so that hosts without FUSE mounts never load it.
 */
final class FuseRead {
  /** Reads still blocked on a FUSE file, process-wide, keyed by real path. */
  private static final Map<String, FutureTask<byte[]>> BLOCKED = new ConcurrentHashMap<>();

  private FuseRead() {}

  /**
   * Reads a file on a FUSE mount within the view's deadline.
   *
   * @param fs the view (its deadline, its stuck devices, its raw read)
   * @param real the real path
   * @param fuse the mount the file is on
   * @return the bytes
   * @throws IOException when the read failed, did not finish in time, or was not tried because the
   *     filesystem is stuck
   */
  static byte[] read(ViewFs fs, String real, ViewFs.FuseMount fuse) throws IOException {
    if (fs.stuckDevices.contains(fuse.device())) {
      throw new IOException("not read: an earlier read on the same FUSE filesystem ("
          + fuse.mountPoint() + ") did not answer");
    }
    FutureTask<byte[]> earlier = BLOCKED.get(real);
    if (earlier != null && !earlier.isDone()) {
      fs.stuckDevices.add(fuse.device());
      throw new IOException("not read: an earlier read of this FUSE file is still blocked");
    }
    FutureTask<byte[]> task = new FutureTask<>(new Callable<byte[]>() {
      @Override
      public byte[] call() throws IOException {
        return fs.readRaw(real);
      }
    });
    Thread t = new Thread(task, "rightsize-fuse-read");
    t.setDaemon(true);
    t.start(); // registered only once it runs: a thread that never started blocks nothing
    BLOCKED.put(real, task);
    try {
      byte[] result = task.get(fs.fuseTimeoutNanos, TimeUnit.NANOSECONDS);
      BLOCKED.remove(real, task);
      return result;
    } catch (TimeoutException e) {
      fs.stuckDevices.add(fuse.device());
      throw new IOException("read did not finish within "
          + TimeUnit.NANOSECONDS.toMillis(fs.fuseTimeoutNanos) + " ms (FUSE daemon stuck?)");
    } catch (ExecutionException e) {
      BLOCKED.remove(real, task);
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(c), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading");
    }
  }
}
