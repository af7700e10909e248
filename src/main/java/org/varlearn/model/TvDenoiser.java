package org.varlearn.model;

import org.varlearn.operator.Fields;
import org.varlearn.operator.Grid;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.FastTanh;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;
import org.varlearn.solver.LinePipeline;

/**
 * TV-L2 (ROF) denoising: minimizes {@code 1/2 ||u - f||^2 + lambda TV(u)} on a
 * 1D, 2D or 3D {@link Grid} with the primal-dual iteration written as
 * {@code min_u max_{p in P} 1/2||u-f||^2 + <lambda grad u, p>}, P the unit
 * l2 balls (isotropic) or the unit box (anisotropic):
 *
 * <pre>
 * u+   = (u + tau lambda div p + tau f) / (1 + tau)        exact prox of the data term
 * ubar = 2 u+ - u
 * p+   = Euclidean: proj_P(p + s grad ubar)                s = sigma lambda
 *        Bregman:   p = tanh(z),  z+ = z + s grad ubar      (box entropy, anisotropic)
 *                   p = v / sqrt(1+|v|^2), v+ = v + s grad ubar   (l2-ball function, isotropic)
 * </pre>
 *
 * with {@code tau sigma lambda^2 ||grad||^2 = 1}. One iteration is a single
 * fused pass over memory driven by {@link LinePipeline} (dual update of a line
 * trailing its primal update, bit-identical for any thread count); the line
 * updates run on line buffers in loops the JIT vectorizes.
 *
 * <pre>{@code
 * TvDenoiser.Result r = TvDenoiser.denoise(noisy, new Grid(512, 512), 0.07, TvType.ISOTROPIC,
 *     SolverSettings.defaults().withIterations(200), Monitor.NONE);
 * }</pre>
 */
public final class TvDenoiser {

	private TvDenoiser() {}

	/** The denoised image and how the run ended. */
	public static final class Result {
		public final float[] u;
		public final int iterations;
		/** Relative primal-dual gap (P - D) / P at the end, NaN when it was not computed. */
		public final double relativeGap;

		Result(final float[] u, final int iterations, final double relativeGap) {
			this.u = u;
			this.iterations = iterations;
			this.relativeGap = relativeGap;
		}
	}

	/**
	 * Denoises {@code f} (not modified). Throws {@link IllegalArgumentException}
	 * with a user-readable message for unusable input and {@link org.varlearn.solver.Canceled} when
	 * the monitor cancels.
	 */
	public static Result denoise(final float[] f, final Grid grid, final double lambda, final TvType type,
		final SolverSettings settings, final Monitor monitor)
	{
		final String problem = check(f, grid, lambda, settings);
		if (problem != null) throw new IllegalArgumentException(problem);
		if (lambda == 0 || grid.activeDimensions() == 0) return new Result(f.clone(), 0, 0);
		final Run run = new Run(f, grid, lambda, type, settings, monitor);
		return run.solve();
	}

	/** Null when the input is usable, else a message saying what is wrong and what to do. */
	public static String check(final float[] f, final Grid grid, final double lambda, final SolverSettings settings) {
		if (f.length != grid.size()) return "Image data length " + f.length + " does not match " + grid + ".";
		if (grid.size() < 2) return "The image has a single pixel: there is nothing to regularize.";
		if (!(lambda >= 0) || Double.isInfinite(lambda))
			return "lambda must be 0 or positive (got " + lambda + "): it weighs the total variation against the data.";
		final String s = settings.check();
		if (s != null) return s;
		return Fields.nonFiniteMessage(f);
	}

	/** Relative primal-dual gap of ({@code u}, {@code p}) computed independently of the solver (for tests). */
	static double relativeGap(final double primal, final double dual) {
		return (primal - dual) / Math.max(Math.abs(primal), 1e-30);
	}

	private static final class Run {
		final float[] f, x;
		final float[][] p, z;
		final int nx, ny, nz, comps;
		final float ihx, ihy, ihz;
		final float lam, s, c1, tauLam, tauF;
		final boolean iso, bregman;
		final SolverSettings settings;
		final Monitor monitor;
		final LinePipeline pipeline;
		final double[] partialPrimal, partialDual;
		volatile double lastGap = Double.NaN;

		Run(final float[] f, final Grid grid, final double lambda, final TvType type, final SolverSettings settings,
			final Monitor monitor)
		{
			this.f = f;
			this.settings = settings;
			this.monitor = monitor;
			nx = grid.nx();
			ny = grid.ny();
			nz = grid.nz();
			comps = grid.numDimensions();
			ihx = (float) (1 / grid.spacing(0));
			ihy = (float) (1 / grid.spacing(1));
			ihz = (float) (1 / grid.spacing(2));
			final double l2 = grid.gradientNormSquaredBound();
			lam = (float) lambda;
			s = (float) (1 / (settings.tau * lambda * l2));
			c1 = (float) (1 / (1 + settings.tau));
			tauLam = (float) (settings.tau * lambda);
			tauF = (float) settings.tau;
			iso = type == TvType.ISOTROPIC;
			bregman = settings.dualStep == DualStep.BREGMAN;
			x = f.clone();
			p = new float[comps][grid.size()];
			z = bregman ? new float[comps][grid.size()] : null;
			pipeline = new LinePipeline(grid, settings.threads);
			partialPrimal = new double[pipeline.blocks()];
			partialDual = new double[pipeline.blocks()];
		}

		Result solve() {
			final int done = pipeline.run(settings.iterations, b -> new LineKernel(), monitor,
				settings.tolerance > 0 ? this::gapReached : null);
			return new Result(x, done, lastGap);
		}

		/** Every gapEvery iterations (and at the last): all workers sum the gap over their lines and stop when it is small. */
		private boolean gapReached(final int iteration, final int b, final int start, final int end) {
			if (iteration % settings.gapEvery != 0 && iteration != settings.iterations) return false;
			partialSums(b, start, end, new float[nx], new float[nx]);
			pipeline.await();
			double primal = 0, dual = 0;
			for (int j = 0; j < partialPrimal.length; j++) {
				primal += partialPrimal[j];
				dual += partialDual[j];
			}
			dual = 0.5 * dual; // holds 1/2 ||f||^2 - 1/2 ||f + lambda div p||^2 summed below
			final double gap = relativeGap(primal, dual);
			if (b == 0) lastGap = gap;
			pipeline.await(); // nobody overwrites the partial sums before all have read them
			return gap <= settings.tolerance;
		}

		/** Divergence of p on line l into {@code div} (for the gap; the iteration fuses its own). */
		private void divergenceLine(final int l, final float[] div, final float[] zeros) {
			final int o = l * nx;
			final int y = l % ny, zc = l / ny;
			final float[] p0 = p[0];
			div[0] = p0[o] * ihx;
			for (int i = 1; i < nx; i++) div[i] = (p0[o + i] - p0[o + i - 1]) * ihx;
			if (comps > 1) {
				final float[] p1 = p[1];
				final float[] prev = y > 0 ? p1 : zeros;
				final int po = y > 0 ? o - nx : 0;
				for (int i = 0; i < nx; i++) div[i] += (p1[o + i] - prev[po + i]) * ihy;
			}
			if (comps > 2) {
				final float[] p2 = p[2];
				final float[] prev = zc > 0 ? p2 : zeros;
				final int po = zc > 0 ? o - nx * ny : 0;
				for (int i = 0; i < nx; i++) div[i] += (p2[o + i] - prev[po + i]) * ihz;
			}
		}

		/**
		 * One thread's line buffers and the per-line updates. Every arithmetic
		 * loop indexes all its arrays with the same {@code i} and no offset
		 * (lines are copied in and out with {@link System#arraycopy}, neighbours
		 * as shifted copies), the form the JIT's auto-vectorizer accepts.
		 */
		private final class LineKernel implements LinePipeline.Worker {
			final float[] xs = new float[nx], fs = new float[nx], div = new float[nx], cur = new float[nx],
				prev = new float[nx], shifted = new float[nx];
			final float[][] pl = new float[3][nx], zl = new float[3][nx];
			final float[] ihs = { ihx, ihy, ihz };

			/** u+ and ubar of line l (ubar into {@code ubar}). */
			@Override
			public void primal(final int l, final float[] ubar) {
				final int o = l * nx;
				final int y = l % ny, zc = l / ny;
				// div p = sum_d (p_d - p_d shifted back along d) / h_d, with p_d = 0 before the first pixel
				final float[] p0 = p[0];
				System.arraycopy(p0, o, cur, 0, nx);
				prev[0] = 0;
				System.arraycopy(cur, 0, prev, 1, nx - 1);
				differences(div, cur, prev, ihx, false);
				if (comps > 1) neighbourTerm(p[1], o, y > 0 ? o - nx : -1, ihy);
				if (comps > 2) neighbourTerm(p[2], o, zc > 0 ? o - nx * ny : -1, ihz);
				System.arraycopy(x, o, xs, 0, nx);
				System.arraycopy(f, o, fs, 0, nx);
				final float tl = tauLam, tf = tauF, c = c1;
				final float[] xv = xs, fv = fs, dv = div, ub = ubar;
				for (int i = 0; i < nx; i++) {
					final float old = xv[i];
					final float xn = (old + tl * dv[i] + tf * fv[i]) * c;
					xv[i] = xn;
					ub[i] = 2 * xn - old;
				}
				System.arraycopy(xs, 0, x, o, nx);
			}

			private void neighbourTerm(final float[] pd, final int o, final int po, final float ih) {
				System.arraycopy(pd, o, cur, 0, nx);
				if (po >= 0) System.arraycopy(pd, po, prev, 0, nx);
				else java.util.Arrays.fill(prev, 0);
				differences(div, cur, prev, ih, true);
			}

			/** out (+)= (a - b) * ih. */
			private void differences(final float[] out, final float[] a, final float[] b, final float ih, final boolean add) {
				if (add) for (int i = 0; i < nx; i++) out[i] += (a[i] - b[i]) * ih;
				else for (int i = 0; i < nx; i++) out[i] = (a[i] - b[i]) * ih;
			}

			/** Dual update of line d from ubar on it and on its +y, +z neighbours. */
			@Override
			public void dual(final int d, final float[] u0, final float[] uy, final float[] uz) {
				final int o = d * nx;
				// neighbour lines of ubar along x (shifted copy), y and z; a missing neighbour is u0 itself (difference 0)
				System.arraycopy(u0, 1, shifted, 0, nx - 1);
				shifted[nx - 1] = u0[nx - 1];
				final float[][] nb = { shifted, uy, uz };
				// ascent step on the stored variable (z for Bregman, p for Euclidean), one component at a time;
				// each loop stores one array, the shape the JIT vectorizes (a value stored twice defeats it)
				final float[][] stored = bregman ? zl : pl;
				for (int c = 0; c < comps; c++) {
					final float[] a = stored[c], un = nb[c];
					System.arraycopy(bregman ? z[c] : p[c], o, a, 0, nx);
					final float g = s * ihs[c];
					if (bregman || (iso && comps > 1)) for (int i = 0; i < nx; i++) a[i] += g * (un[i] - u0[i]);
					else for (int i = 0; i < nx; i++) a[i] = Math.max(-1f, Math.min(1f, a[i] + g * (un[i] - u0[i])));
				}
				// the constraint: p = tanh(z) (box entropy), p = v / sqrt(1 + |v|^2) (ball), or the projection onto the ball
				if (bregman && !iso) {
					for (int c = 0; c < comps; c++) {
						final float[] a = zl[c], pc = pl[c];
						for (int i = 0; i < nx; i++) pc[i] = FastTanh.tanh(a[i]);
					}
				} else if (iso && comps == 2) {
					final float[] a0 = stored[0], a1 = stored[1], p0 = pl[0], p1 = pl[1];
					if (bregman) for (int i = 0; i < nx; i++) {
						final float v0 = a0[i], v1 = a1[i];
						final float r = 1f / (float) Math.sqrt(1f + v0 * v0 + v1 * v1);
						p0[i] = v0 * r;
						p1[i] = v1 * r;
					}
					else for (int i = 0; i < nx; i++) {
						final float v0 = p0[i], v1 = p1[i];
						final float r = 1f / Math.max(1f, (float) Math.sqrt(v0 * v0 + v1 * v1));
						p0[i] = v0 * r;
						p1[i] = v1 * r;
					}
				} else if (iso && comps == 3) {
					final float[] a0 = stored[0], a1 = stored[1], a2 = stored[2], p0 = pl[0], p1 = pl[1], p2 = pl[2];
					if (bregman) for (int i = 0; i < nx; i++) {
						final float v0 = a0[i], v1 = a1[i], v2 = a2[i];
						final float r = 1f / (float) Math.sqrt(1f + v0 * v0 + v1 * v1 + v2 * v2);
						p0[i] = v0 * r;
						p1[i] = v1 * r;
						p2[i] = v2 * r;
					}
					else for (int i = 0; i < nx; i++) {
						final float v0 = p0[i], v1 = p1[i], v2 = p2[i];
						final float r = 1f / Math.max(1f, (float) Math.sqrt(v0 * v0 + v1 * v1 + v2 * v2));
						p0[i] = v0 * r;
						p1[i] = v1 * r;
						p2[i] = v2 * r;
					}
				} else if (iso && bregman) { // 1D ball = box map but with the ball function
					final float[] a0 = zl[0], p0 = pl[0];
					for (int i = 0; i < nx; i++) p0[i] = a0[i] / (float) Math.sqrt(1f + a0[i] * a0[i]);
				}
				for (int c = 0; c < comps; c++) {
					System.arraycopy(pl[c], 0, p[c], o, nx);
					if (bregman) System.arraycopy(zl[c], 0, z[c], o, nx);
				}
			}

		}

		/**
		 * Block sums of the primal energy 1/2||x-f||^2 + lambda TV(x) and of
		 * ||f||^2 - ||f + lambda div p||^2 (twice the dual energy).
		 */
		private void partialSums(final int b, final int start, final int end, final float[] div, final float[] zeros) {
			double primal = 0, dual = 0;
			for (int l = start; l < end; l++) {
				final int o = l * nx;
				final int y = l % ny, zc = l / ny;
				divergenceLine(l, div, zeros);
				double data = 0, tv = 0, dl = 0;
				for (int i = 0; i < nx; i++) {
					final int k = o + i;
					final float r = x[k] - f[k];
					data += r * r;
					final float gx = i + 1 < nx ? (x[k + 1] - x[k]) * ihx : 0;
					final float gy = comps > 1 && y + 1 < ny ? (x[k + nx] - x[k]) * ihy : 0;
					final float gz = comps > 2 && zc + 1 < nz ? (x[k + nx * ny] - x[k]) * ihz : 0;
					tv += iso ? Math.sqrt(gx * gx + gy * gy + gz * gz) : Math.abs(gx) + Math.abs(gy) + Math.abs(gz);
					final double w = f[k] + lam * (double) div[i];
					dl += (double) f[k] * f[k] - w * w;
				}
				primal += 0.5 * data + lam * tv;
				dual += dl;
			}
			partialPrimal[b] = primal;
			partialDual[b] = dual;
		}
	}
}
