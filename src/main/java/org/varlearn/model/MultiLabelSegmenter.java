package org.varlearn.model;

import org.varlearn.operator.Grid;
import org.varlearn.solver.Canceled;
import org.varlearn.solver.FastTanh;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;
import org.varlearn.solver.WorkerTeam;

/**
 * Applies the multi-label segmentation model of {@link SegmentationUnrolled}
 * fast: the same Bregman primal-dual iteration (entropy on the label simplex,
 * box entropy / l2-ball function on the dual, same start, same steps
 * {@code tau = r/L}, {@code sigma = 1/(r L)}) in single precision,
 * multi-threaded over blocks of lines (2 barriers per iteration; the result
 * does not depend on the thread count). Logits are kept max-shifted instead
 * of log-normalized (the softmax is the same), the exponential and tanh are
 * branch-free polynomial/rational approximations. A model trained with T
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
			if (k.canceled) throw new Canceled();
			return new Result(k.labels(), soft ? k.soft() : null, k.done);
		}
		final Run run = new Run(image, grid, means, lambda, type, iterations, ratio, threads, mon);
		run.team.run(run::work);
		if (run.canceled) throw new Canceled();
		return run.result(soft);
	}

	// exp for x <= 0 (clamped at -87): 2^n * P(r), r = x - n ln2, |r| <= ln2/2, degree-6 Taylor-like minimax
	private static final float LOG2E = 1.44269504088896341f;
	private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
	private static final float MAGIC = 12582912f; // 1.5 * 2^23: rounds to nearest integer

	/** e^x for x in [-87, 0] to about 2 float ulps (relative). */
	static float expNonPositive(final float x0) {
		final float x = Math.max(-87f, x0);
		final float t = x * LOG2E + MAGIC;
		final int n = Float.floatToRawIntBits(t) - 0x4B400000;
		final float fn = t - MAGIC;
		final float r = (x - fn * LN2_HI) - fn * LN2_LO;
		float p = 1.9875691500E-4f;
		p = p * r + 1.3981999507E-3f;
		p = p * r + 8.3334519073E-3f;
		p = p * r + 4.1665795894E-2f;
		p = p * r + 1.6666665459E-1f;
		p = p * r + 5.0000001201E-1f;
		p = p * r * r + r + 1f;
		return p * Float.intBitsToFloat((n + 127) << 23);
	}

	private static final class Run {
		final float[] f;
		final float[] a, x, xb, z, p;
		final float[] means;
		final int labels, n, nx, ny, nz, comps, lines, iterations;
		final int[] strides;
		final float[] ih;
		final float tau, sigma, invLambda;
		final boolean iso;
		final WorkerTeam team;
		final int[] blockStart;
		final Monitor monitor;
		volatile boolean canceled;
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
			this.lines = grid.lines();
			this.iterations = iterations;
			this.monitor = monitor;
			strides = new int[comps];
			ih = new float[comps];
			for (int d = 0; d < comps; d++) {
				strides[d] = grid.stride(d);
				ih[d] = grid.dim(d) > 1 ? (float) (1 / grid.spacing(d)) : 0f;
			}
			final double l = Math.sqrt(Math.max(grid.gradientNormSquaredBound(), 1e-300));
			tau = (float) (ratio / l);
			sigma = (float) (1 / (ratio * l));
			invLambda = (float) (1 / lambda);
			iso = type == TvType.ISOTROPIC;
			a = new float[labels * n];
			java.util.Arrays.fill(a, 0f); // uniform assignment (logits equal; softmax is shift-invariant)
			x = new float[labels * n];
			java.util.Arrays.fill(x, 1f / labels);
			xb = new float[labels * n];
			z = new float[labels * comps * n];
			p = new float[labels * comps * n];
			final int blocks = Math.max(1, Math.min(WorkerTeam.threads(threads), lines));
			team = new WorkerTeam(blocks);
			blockStart = new int[blocks + 1];
			for (int b = 0; b <= blocks; b++) blockStart[b] = (int) ((long) lines * b / blocks);
		}

		void work(final int b) {
			final int l0 = blockStart[b], l1 = blockStart[b + 1];
			final float[] v = new float[labels * nx], mx = new float[nx], sum = new float[nx];
			for (int it = 0; it < iterations; it++) {
				for (int l = l0; l < l1; l++) primalLine(l, v, mx, sum);
				team.await();
				for (int l = l0; l < l1; l++) dualLine(l);
				if (b == 0) {
					done = it + 1;
					monitor.progress(done, iterations);
					if (monitor.isCanceled()) canceled = true;
				}
				team.await();
				if (canceled) return;
			}
		}

		private void primalLine(final int l, final float[] v, final float[] mx, final float[] sum) {
			final int base = l * nx;
			final int y = l % ny, zc = l / ny;
			for (int k = 0; k < labels; k++) {
				final int ob = k * nx;
				final int pb = k * comps * n;
				final float mk = means[k];
				// x component of div: p[j] - p[j-1] (p is 0 on the last column)
				final float hx = ih[0];
				final int px = pb + base;
				v[ob] = p[px] * hx;
				for (int i = 1; i < nx; i++) v[ob + i] = (p[px + i] - p[px + i - 1]) * hx;
				for (int d = 1; d < comps; d++) {
					final int coord = d == 1 ? y : zc;
					final float h = ih[d];
					final int pd = pb + d * n + base;
					if (coord > 0) {
						final int s = strides[d];
						for (int i = 0; i < nx; i++) v[ob + i] += (p[pd + i] - p[pd + i - s]) * h;
					} else {
						for (int i = 0; i < nx; i++) v[ob + i] += p[pd + i] * h;
					}
				}
				final int ak = k * n + base;
				for (int i = 0; i < nx; i++) {
					final float dd = f[base + i] - mk;
					v[ob + i] = a[ak + i] - tau * (dd * dd * invLambda - v[ob + i]);
				}
			}
			System.arraycopy(v, 0, mx, 0, nx);
			for (int k = 1; k < labels; k++) for (int i = 0; i < nx; i++) mx[i] = Math.max(mx[i], v[k * nx + i]);
			java.util.Arrays.fill(sum, 0f);
			for (int k = 0; k < labels; k++) {
				final int ob = k * nx, ak = k * n + base;
				for (int i = 0; i < nx; i++) {
					final float s = v[ob + i] - mx[i];
					a[ak + i] = s;
					final float e = expNonPositive(s);
					v[ob + i] = e;
					sum[i] += e;
				}
			}
			for (int i = 0; i < nx; i++) sum[i] = 1f / sum[i];
			for (int k = 0; k < labels; k++) {
				final int ob = k * nx, ak = k * n + base;
				for (int i = 0; i < nx; i++) {
					final float xn = v[ob + i] * sum[i];
					xb[ak + i] = 2 * xn - x[ak + i];
					x[ak + i] = xn;
				}
			}
		}

		private void dualLine(final int l) {
			final int base = l * nx;
			final int y = l % ny, zc = l / ny;
			for (int k = 0; k < labels; k++) {
				final int xk = k * n + base, pb = k * comps * n + base;
				final float sx = sigma * ih[0];
				for (int i = 0; i < nx - 1; i++) z[pb + i] += sx * (xb[xk + i + 1] - xb[xk + i]);
				for (int d = 1; d < comps; d++) {
					final int coord = d == 1 ? y : zc, len = d == 1 ? ny : nz;
					if (coord >= len - 1) continue;
					final int s = strides[d];
					final float sd = sigma * ih[d];
					final int pd = pb + d * n;
					for (int i = 0; i < nx; i++) z[pd + i] += sd * (xb[xk + i + s] - xb[xk + i]);
				}
				if (iso) {
					if (comps == 1) {
						for (int i = 0; i < nx; i++) {
							final float zz = z[pb + i];
							p[pb + i] = zz / (float) Math.sqrt(1 + zz * zz);
						}
					} else if (comps == 2) {
						final int q = pb + n;
						for (int i = 0; i < nx; i++) {
							final float z0 = z[pb + i], z1 = z[q + i];
							final float r = 1f / (float) Math.sqrt(1 + z0 * z0 + z1 * z1);
							p[pb + i] = z0 * r;
							p[q + i] = z1 * r;
						}
					} else {
						final int q = pb + n, w = pb + 2 * n;
						for (int i = 0; i < nx; i++) {
							final float z0 = z[pb + i], z1 = z[q + i], z2 = z[w + i];
							final float r = 1f / (float) Math.sqrt(1 + z0 * z0 + z1 * z1 + z2 * z2);
							p[pb + i] = z0 * r;
							p[q + i] = z1 * r;
							p[w + i] = z2 * r;
						}
					}
				} else {
					for (int d = 0; d < comps; d++) {
						final int pd = pb + d * n;
						for (int i = 0; i < nx; i++) p[pd + i] = FastTanh.tanh(z[pd + i]);
					}
				}
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
