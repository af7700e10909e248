package org.varlearn.solver;

import java.util.function.IntFunction;

import org.varlearn.operator.Grid;

/**
 * Runs fused primal-dual iterations line by line, one pass over memory per
 * iteration, for operators with forward-difference reach (the dual of a line
 * needs the primal extrapolation of that line and of its +y and +z
 * neighbours). Lines along x are processed in order; the dual update of a line
 * trails its primal update by one line (2D) or one plane (3D), so the
 * extrapolated primal ({@code ubar}) lives only in a small ring of line
 * buffers. Threads own contiguous blocks of lines (whole planes in 3D); the few
 * dual lines at a block's end that need the next block's first {@code ubar}
 * lines are finished after a barrier, so results are bit-identical for any
 * thread count. Models supply the per-line updates as a {@link Worker}.
 *
 * <pre>{@code
 * LinePipeline pipe = new LinePipeline(grid, threads);
 * int done = pipe.run(iterations, block -> new MyLineUpdates(), monitor, null);
 * }</pre>
 */
public final class LinePipeline {

	/** One thread's line updates (it may keep line buffers of its own). */
	public interface Worker {
		/** Primal update of {@code line}; writes the extrapolation {@code 2 u+ - u} of the line into {@code ubar}. */
		void primal(int line, float[] ubar);

		/**
		 * Dual update of {@code line} from the extrapolation on it and on its +y
		 * and +z neighbour lines; a missing neighbour (image border, or no such
		 * dimension) is passed as {@code ubar} itself, so its difference is 0.
		 */
		void dual(int line, float[] ubar, float[] ubarY, float[] ubarZ);
	}

	/** Called by every worker after every complete iteration; all return the same decision. */
	public interface AfterIteration {
		/** True to stop after {@code iteration} (1-based); {@code [start, end)} are the worker's lines. */
		boolean after(int iteration, int block, int start, int end);
	}

	private final int nx, ny, nz, lag, blocks, lineLength;
	private final int[] blockStart;
	private final float[][][] head; // ubar of the first `lag` lines of each block
	private final WorkerTeam team;
	private volatile boolean stop, canceled;
	private int done;

	/** One value per pixel: {@code ubar} lines of {@code nx} floats. */
	public LinePipeline(final Grid grid, final int threads) {
		this(grid, threads, 1);
	}

	/**
	 * {@code valuesPerPixel} extrapolated values per pixel (e.g. one per label):
	 * {@code ubar} lines hold {@code valuesPerPixel} runs of {@code nx} floats, value k at {@code [k nx, (k+1) nx)}.
	 */
	public LinePipeline(final Grid grid, final int threads, final int valuesPerPixel) {
		if (valuesPerPixel < 1) throw new IllegalArgumentException("valuesPerPixel must be at least 1");
		nx = grid.nx();
		lineLength = valuesPerPixel * grid.nx();
		ny = grid.ny();
		nz = grid.nz();
		lag = nz > 1 ? ny : 1;
		final int units = Math.max(1, grid.lines() / lag); // whole planes in 3D, lines in 2D
		blocks = Math.max(1, Math.min(WorkerTeam.threads(threads), units));
		team = new WorkerTeam(blocks);
		blockStart = new int[blocks + 1];
		for (int b = 0; b <= blocks; b++) blockStart[b] = (int) ((long) units * b / blocks) * lag;
		head = new float[blocks][lag][lineLength];
	}

	/** Number of workers (line blocks). */
	public int blocks() {
		return blocks;
	}

	/** A barrier among the workers, for {@link AfterIteration} hooks that combine per-block results. */
	public void await() {
		team.await();
	}

	/**
	 * Runs up to {@code iterations} iterations and returns how many ran.
	 * Progress goes to {@code monitor} once per iteration; cancellation throws
	 * {@link Canceled} after the current iteration.
	 */
	public int run(final int iterations, final IntFunction<Worker> workers, final Monitor monitor,
		final AfterIteration after)
	{
		stop = false;
		canceled = false;
		done = 0;
		team.run(b -> work(b, iterations, workers.apply(b), monitor, after));
		if (canceled) throw new Canceled();
		return done;
	}

	private void work(final int b, final int iterations, final Worker w, final Monitor monitor, final AfterIteration after) {
		final int start = blockStart[b], end = blockStart[b + 1];
		final float[][] ring = new float[lag + 1][lineLength];
		for (int it = 0; it < iterations; it++) {
			// phase 1: primal on all own lines, dual trailing by `lag` lines
			for (int l = start; l < end; l++) {
				final float[] ubar = ring[(l - start) % (lag + 1)];
				w.primal(l, ubar);
				if (l - start < lag) System.arraycopy(ubar, 0, head[b][l - start], 0, lineLength);
				final int d = l - lag;
				if (d >= start) dual(w, d, start, end, ring, null);
			}
			team.await();
			// phase 2: the last `lag` dual lines need the next block's first ubar lines
			final float[][] next = b + 1 < blocks ? head[b + 1] : null;
			for (int d = Math.max(start, end - lag); d < end; d++) dual(w, d, start, end, ring, next);
			if (b == 0) {
				done = it + 1;
				monitor.progress(done, iterations);
				if (monitor.isCanceled()) {
					canceled = true;
					stop = true;
				}
			}
			team.await();
			if (stop) return;
			if (after != null && after.after(it + 1, b, start, end)) return;
		}
	}

	private void dual(final Worker w, final int d, final int start, final int end, final float[][] ring,
		final float[][] next)
	{
		final float[] u0 = ring[(d - start) % (lag + 1)];
		final int y = d % ny, z = d / ny;
		final float[] uy = y + 1 < ny ? line(d + 1, start, end, ring, next) : u0;
		final float[] uz = z + 1 < nz ? line(d + ny, start, end, ring, next) : u0;
		w.dual(d, u0, uy, uz);
	}

	private float[] line(final int l, final int start, final int end, final float[][] ring, final float[][] next) {
		return l < end ? ring[(l - start) % (lag + 1)] : next[l - end];
	}
}
