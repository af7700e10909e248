package org.varlearn.model;

import org.varlearn.operator.Grid;
import org.varlearn.solver.Canceled;
import org.varlearn.solver.FastTanh;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;
import org.varlearn.solver.LinePipeline;

/**
 * Applies the multi-label segmentation model of {@link SegmentationUnrolled}
 * fast: the same Bregman primal-dual iteration (entropy on the label simplex,
 * box entropy / l2-ball function on the dual, same start, same steps
 * {@code tau = r/L}, {@code sigma = 1/(r L)}) in single precision,
 * multi-threaded over blocks of lines (2 barriers per iteration; the result
 * does not depend on the thread count). Logits are kept max-shifted instead
 * of log-normalized (the softmax is the same); the exponential is evaluated
 * as {@code (1 + tanh(s/2)) / (1 - tanh(s/2))} with the branch-free rational
 * {@link FastTanh}, and every inner loop runs on per-worker line buffers with a
 * plain index, so that C2 vectorizes it (loops mixing arrays at different
 * offsets, or {@code Float.intBitsToFloat}, are not vectorized by JDK 17).
 * Two labels take the reduced, fused {@link TwoLabelKernel}. A model trained with T
 * unrolled steps is applied with the same T and step ratio.
 *
 * <pre>{@code
 * MultiLabelSegmenter.Result r = MultiLabelSegmenter.segment(image, new Grid(512, 512),
 *     new double[] { 0.2, 0.7 }, 0.05, TvType.ISOTROPIC, 200, 1, 0, true, Monitor.NONE);
 * int[] labels = r.labels;   // 1..K
 * float[] u = r.u;           // K blocks of n, or null
 * }</pre>
 */
public final class MultiLabelSegmenter {

	private MultiLabelSegmenter() {}

	/** Label image (values 1..K) and, on request, the soft assignment (K blocks of n). */
	public static final class Result {
		public final int[] labels;
		public final float[] u;
		public final int iterations;

		Result(final int[] labels, final float[] u, final int iterations) {
			this.labels = labels;
			this.u = u;
			this.iterations = iterations;
		}
	}

	/** Null when usable, else a message saying what is wrong and what to do. */
	public static String check(final float[] image, final Grid grid, final double[] means, final double lambda,
		final int iterations, final double ratio)
	{
		if (image.length != grid.size()) return "Image data length " + image.length + " does not match " + grid + ".";
		if (means == null || means.length < 2) return "Segmentation needs at least 2 class means (labels).";
		if (means.length > 255) return "At most 255 labels are supported, got " + means.length + ".";
		for (final double m : means) if (!Double.isFinite(m)) return "Class means must be finite numbers, got " + m + ".";
		if (!(lambda > 0) || Double.isInfinite(lambda)) return "lambda must be positive (got " + lambda + "): it weighs the boundary length against the data.";
		if (iterations < 1) return "The number of iterations must be at least 1 (got " + iterations + ").";
		if (!(ratio > 0) || Double.isInfinite(ratio)) return "The step ratio must be positive (got " + ratio + ").";
		for (int i = 0; i < image.length; i++)
			if (!Float.isFinite(image[i])) return "The image has a non-finite value (" + image[i] + ") at pixel " + i + ": replace NaN/Inf pixels first.";
		return null;
	}

	/**
	 * Segments {@code image} (not modified; intensities on the scale of the means).
	 *
	 * @param threads worker threads, 0 = all cores
	 * @param soft also return the soft assignment u
	 */
	public static Result segment(final float[] image, final Grid grid, final double[] means, final double lambda,
		final TvType type, final int iterations, final double ratio, final int threads, final boolean soft,
		final Monitor monitor)
	{
		final String problem = check(image, grid, means, lambda, iterations, ratio);
		if (problem != null) throw new IllegalArgumentException(problem);
		final Monitor mon = monitor == null ? Monitor.NONE : monitor;
		if (means.length == 2) {
			final TwoLabelKernel k = new TwoLabelKernel(image, grid, new float[] { (float) means[0], (float) means[1] }, lambda, type,
				iterations, ratio, threads, mon);
			k.run();
			return new Result(k.labels(), soft ? k.soft() : null, k.done);
		}
		final Run run = new Run(image, grid, means, lambda, type, iterations, ratio, threads, mon);
		run.done = run.pipeline.run(iterations, b -> run.new Lines(), mon, null);
		return run.result(soft);
	}

	private static final class Run {
		final float[] f;
		final float[] a, x, z, p;
		final float[] means;
		final int labels, n, nx, ny, nz, comps, iterations;
		final int[] strides;
		final float[] ih;
		final float tau, sigma, invLambda;
		final boolean iso;
		final LinePipeline pipeline;
		final Monitor monitor;
		int done;

		Run(final float[] f, final Grid grid, final double[] means, final double lambda, final TvType type,
			final int iterations, final double ratio, final int threads, final Monitor monitor)
		{
			this.f = f;
			this.labels = means.length;
			this.means = new float[labels];
			for (int k = 0; k < labels; k++) this.means[k] = (float) means[k];
			this.n = grid.size();
			this.nx = grid.nx();
			this.ny = grid.ny();
			this.nz = grid.nz();
			this.comps = grid.numDimensions();
			this.iterations = iterations;
			this.monitor = monitor;
			strides = new int[comps];
			ih = new float[comps];
			for (int d = 0; d < comps; d++) {
				strides[d] = grid.stride(d);
				ih[d] = grid.dim(d) > 1 ? (float) (1 / grid.spacing(d)) : 0f;
			}
			tau = (float) SegmentationUnrolled.primalStep(grid, ratio);
			sigma = (float) SegmentationUnrolled.dualStep(grid, ratio);
			invLambda = (float) (1 / lambda);
			iso = type == TvType.ISOTROPIC;
			a = new float[labels * n];
			java.util.Arrays.fill(a, 0f); // uniform assignment (logits equal; softmax is shift-invariant)
			x = new float[labels * n];
			java.util.Arrays.fill(x, 1f / labels);
			z = new float[labels * comps * n];
			p = new float[labels * comps * n];
			pipeline = new LinePipeline(grid, threads, labels); // ubar lines hold all labels' extrapolations
		}

		/**
		 * Per-worker line buffers and updates: inner loops run on the buffers with a plain 0-based index
		 * (vectorized by the JIT); the extrapolation of label k sits at {@code [k nx, (k+1) nx)} of a ubar line.
		 */
		final class Lines implements LinePipeline.Worker {
			final float[][] v = new float[labels][nx];
			final float[] mx = new float[nx], sum = new float[nx], lf = new float[nx], la = new float[nx], lx = new float[nx];
			final float[] sh = new float[nx + 1], cur = new float[nx], prev = new float[nx], next = new float[nx];
			final float[][] lz = new float[comps][nx];

			@Override
			public void primal(final int line, final float[] ubar) {
				primalLine(line, ubar, this);
			}

			@Override
			public void dual(final int line, final float[] ubar, final float[] ubarY, final float[] ubarZ) {
				dualLine(line, ubar, ubarY, ubarZ, this);
			}
		}

		private void primalLine(final int l, final float[] ubar, final Lines w) {
			final int base = l * nx;
			final int y = l % ny, zc = l / ny;
			final float[] lf = w.lf, la = w.la, sh = w.sh, cur = w.cur, prev = w.prev, mx = w.mx, sum = w.sum, lx = w.lx;
			System.arraycopy(f, base, lf, 0, nx);
			for (int k = 0; k < labels; k++) {
				final float[] vk = w.v[k];
				final int pb = k * comps * n;
				final float mk = means[k];
				// x component of div: p[j] - p[j-1] (p is 0 on the last column)
				final float hx = ih[0];
				sh[0] = 0;
				System.arraycopy(p, pb + base, sh, 1, nx);
				for (int i = 0; i < nx; i++) vk[i] = (sh[i + 1] - sh[i]) * hx;
				for (int d = 1; d < comps; d++) {
					final int coord = d == 1 ? y : zc;
					final float h = ih[d];
					final int pd = pb + d * n + base;
					System.arraycopy(p, pd, cur, 0, nx);
					if (coord > 0) System.arraycopy(p, pd - strides[d], prev, 0, nx);
					else java.util.Arrays.fill(prev, 0f);
					for (int i = 0; i < nx; i++) vk[i] += (cur[i] - prev[i]) * h;
				}
				System.arraycopy(a, k * n + base, la, 0, nx);
				final float t = tau, il = invLambda;
				for (int i = 0; i < nx; i++) {
					final float dd = lf[i] - mk;
					vk[i] = la[i] - t * (dd * dd * il - vk[i]);
				}
			}
			System.arraycopy(w.v[0], 0, mx, 0, nx);
			for (int k = 1; k < labels; k++) {
				final float[] vk = w.v[k];
				for (int i = 0; i < nx; i++) mx[i] = Math.max(mx[i], vk[i]);
			}
			java.util.Arrays.fill(sum, 0f);
			for (int k = 0; k < labels; k++) {
				final float[] vk = w.v[k];
				for (int i = 0; i < nx; i++) vk[i] -= mx[i];
				System.arraycopy(vk, 0, a, k * n + base, nx);
				// e^s = (1 + tanh(s/2)) / (1 - tanh(s/2)) for s <= 0: absolute error about 1e-6 (the softmax
				// sum is >= 1, so x errs by about that much), vectorizable unlike the exponent-bits form
				for (int i = 0; i < nx; i++) vk[i] = FastTanh.tanh(0.5f * vk[i]);
				for (int i = 0; i < nx; i++) vk[i] = (1 + vk[i]) / (1 - vk[i]);
				for (int i = 0; i < nx; i++) sum[i] += vk[i];
			}
			for (int i = 0; i < nx; i++) sum[i] = 1f / sum[i];
			for (int k = 0; k < labels; k++) {
				final float[] vk = w.v[k];
				final int ak = k * n + base;
				System.arraycopy(x, ak, lx, 0, nx);
				for (int i = 0; i < nx; i++) {
					final float xn = vk[i] * sum[i];
					vk[i] = 2 * xn - lx[i];
					lx[i] = xn;
				}
				System.arraycopy(vk, 0, ubar, k * nx, nx);
				System.arraycopy(lx, 0, x, ak, nx);
			}
		}

		private void dualLine(final int l, final float[] u0, final float[] uy, final float[] uz, final Lines w) {
			final int base = l * nx;
			final float[] cur = w.cur, nb = w.next, sh = w.sh;
			for (int k = 0; k < labels; k++) {
				final int pb = k * comps * n + base;
				System.arraycopy(u0, k * nx, cur, 0, nx);
				// x differences: cur shifted by one, last column 0
				System.arraycopy(cur, 1, sh, 0, nx - 1);
				sh[nx - 1] = cur[nx - 1];
				final float sx = sigma * ih[0];
				final float[] z0 = w.lz[0];
				System.arraycopy(z, pb, z0, 0, nx);
				for (int i = 0; i < nx; i++) z0[i] += sx * (sh[i] - cur[i]);
				for (int d = 1; d < comps; d++) {
					final float[] zd = w.lz[d];
					final int pd = pb + d * n;
					System.arraycopy(z, pd, zd, 0, nx);
					final float[] neighbour = d == 1 ? uy : uz;
					if (neighbour == u0) continue; // border: zero difference
					System.arraycopy(neighbour, k * nx, nb, 0, nx);
					final float sd = sigma * ih[d];
					for (int i = 0; i < nx; i++) zd[i] += sd * (nb[i] - cur[i]);
				}
				for (int d = 0; d < comps; d++) System.arraycopy(w.lz[d], 0, z, pb + d * n, nx);
				if (iso) {
					if (comps == 1) {
						final float[] q0 = w.lz[0];
						for (int i = 0; i < nx; i++) q0[i] = q0[i] / (float) Math.sqrt(1 + q0[i] * q0[i]);
					} else if (comps == 2) {
						final float[] q0 = w.lz[0], q1 = w.lz[1];
						for (int i = 0; i < nx; i++) {
							final float v0 = q0[i], v1 = q1[i];
							final float r = 1f / (float) Math.sqrt(1 + v0 * v0 + v1 * v1);
							q0[i] = v0 * r;
							q1[i] = v1 * r;
						}
					} else {
						final float[] q0 = w.lz[0], q1 = w.lz[1], q2 = w.lz[2];
						for (int i = 0; i < nx; i++) {
							final float v0 = q0[i], v1 = q1[i], v2 = q2[i];
							final float r = 1f / (float) Math.sqrt(1 + v0 * v0 + v1 * v1 + v2 * v2);
							q0[i] = v0 * r;
							q1[i] = v1 * r;
							q2[i] = v2 * r;
						}
					}
				} else {
					for (int d = 0; d < comps; d++) {
						final float[] qd = w.lz[d];
						for (int i = 0; i < nx; i++) qd[i] = FastTanh.tanh(qd[i]);
					}
				}
				for (int d = 0; d < comps; d++) System.arraycopy(w.lz[d], 0, p, pb + d * n, nx);
			}
		}

		Result result(final boolean soft) {
			final int[] lab = new int[n];
			for (int i = 0; i < n; i++) {
				int best = 0;
				for (int k = 1; k < labels; k++) if (x[k * n + i] > x[best * n + i]) best = k;
				lab[i] = best + 1;
			}
			return new Result(lab, soft ? x.clone() : null, done);
		}
	}
}
