package org.varlearn.solver;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntConsumer;

/**
 * A fixed team of worker threads that run one body together and meet at
 * {@link #await()} barriers; worker 0 is the calling thread. Used by solvers
 * whose iterations alternate parallel phases, so threads are started once per
 * solve instead of once per phase. An exception in any worker is rethrown by
 * {@link #run} after all workers stopped.
 */
public final class WorkerTeam {

	private final int size;
	private final CyclicBarrier barrier;
	private volatile Throwable failure;

	public WorkerTeam(final int size) {
		if (size < 1) throw new IllegalArgumentException("A team needs at least one worker.");
		this.size = size;
		this.barrier = new CyclicBarrier(size);
	}

	/** Number of workers: the requested thread count, at least 1. */
	public static int threads(final int requested) {
		return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
	}

	public int size() { return size; }

	/** Waits until all workers reach this point. */
	public void await() {
		if (size == 1) return;
		if (failure != null) throw new TeamAborted();
		try {
			barrier.await();
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", e);
		} catch (final BrokenBarrierException e) {
			throw new TeamAborted();
		}
	}

	/** Runs {@code body.accept(worker)} on every worker and returns when all are done. */
	public void run(final IntConsumer body) {
		if (size == 1) {
			body.accept(0);
			return;
		}
		final Thread[] threads = new Thread[size - 1];
		for (int w = 1; w < size; w++) {
			final int worker = w;
			threads[w - 1] = new Thread(() -> guarded(body, worker), "varlearn-worker-" + w);
			threads[w - 1].setDaemon(true);
			threads[w - 1].start();
		}
		guarded(body, 0);
		for (final Thread t : threads) {
			try {
				while (t.isAlive()) {
					if (failure != null) barrier.reset(); // release workers still waiting
					t.join(20);
				}
			} catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		final Throwable f = failure;
		if (f instanceof RuntimeException) throw (RuntimeException) f;
		if (f instanceof Error) throw (Error) f;
	}

	private void guarded(final IntConsumer body, final int worker) {
		try {
			body.accept(worker);
		} catch (final TeamAborted e) {
			// another worker failed first; its exception is reported
		} catch (final Throwable t) {
			if (failure == null) failure = t;
			barrier.reset();
		}
	}

	private static final class TeamAborted extends RuntimeException {
		private static final long serialVersionUID = 1L;
	}
}
