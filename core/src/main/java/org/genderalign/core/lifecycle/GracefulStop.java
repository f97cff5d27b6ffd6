package org.genderalign.core.lifecycle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clean stop on SIGTERM or Ctrl-C for work that holds native resources.
 *
 * <p>Why: on a termination signal the JVM runs its shutdown hooks and then exits, and exiting
 * runs libtorch's static destructors. If the main thread is still inside libtorch at that moment
 * (say, in a backward pass), the process dies with SIGSEGV and leaves an {@code hs_err_pid*.log}.
 *
 * <p>How: long work (the training loop) runs inside {@link #enter()}/{@link Region#close()} and
 * polls {@link #requested()} at its safe points. There it saves what a resume needs and throws
 * {@link StoppedException}. The hook {@link #install installed} by the program waits, at most a
 * grace period, until the main thread has unwound, i.e. until {@link #finished()}. Only then does
 * the JVM exit, with the signal's usual status (143 for SIGTERM, 130 for SIGINT). A signal that
 * arrives while no such region is open exits as before, without waiting.
 */
public final class GracefulStop {

  /** How long the hook waits by default for the current step to end. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

  private static final AtomicBoolean REQUESTED = new AtomicBoolean();
  private static final AtomicInteger OPEN = new AtomicInteger();
  private static final Object LOCK = new Object();
  private static boolean installed;
  private static boolean done;

  private GracefulStop() {}

  /**
   * Installs the shutdown hook once per process (later calls do nothing).
   *
   * @param grace the longest the hook waits for the work to reach a safe point
   * @param log where the hook says what it is waiting for
   */
  public static void install(Duration grace, PrintStream log) {
    synchronized (LOCK) {
      if (installed) {
        return;
      }
      installed = true;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      REQUESTED.set(true);
      if (OPEN.get() == 0) {
        return; // nothing holds native state that a safe point would release
      }
      log.println("stopping at the end of the current step (waiting up to "
          + grace.toSeconds() + " s)…");
      log.flush();
      long deadline = System.nanoTime() + grace.toNanos();
      synchronized (LOCK) {
        while (!done) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(LOCK, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }, "graceful-stop"));
  }

  /** Whether a termination signal asked the work to stop at its next safe point. */
  public static boolean requested() {
    return REQUESTED.get();
  }

  /**
   * Opens a region of work that polls {@link #requested()}; close it when the work ends (try
   * with resources). While one is open, the hook waits for {@link #finished()}.
   */
  public static Region enter() {
    OPEN.incrementAndGet();
    return new Region();
  }

  /**
   * Called when the program's main thread has unwound from the work (after {@link Region}s
   * closed and resources were freed): the hook may let the JVM exit now.
   */
  public static void finished() {
    synchronized (LOCK) {
      done = true;
      LOCK.notifyAll();
    }
  }

  /** For tests: forget a request (the hook itself is never removed). */
  static void reset() {
    REQUESTED.set(false);
    synchronized (LOCK) {
      done = false;
    }
  }

  /** An open region of stoppable work. */
  public static final class Region implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Region() {}

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        // the main thread still unwinds and frees native state after this: a hook already
        // waiting keeps waiting for finished() (or the grace period)
        OPEN.decrementAndGet();
      }
    }
  }

  /** Thrown by work that stopped at a safe point on a termination signal. */
  public static final class StoppedException extends RuntimeException {
    public StoppedException(String message) {
      super(message);
    }
  }
}
