package org.varlearn.model;

import org.varlearn.operator.Grid;
import org.varlearn.solver.FastTanh;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;
import org.varlearn.solver.LinePipeline;

/**
 * The two-label case of {@link MultiLabelSegmenter}, reduced and fused.
 *
 * <p><b>Reduction.</b> With K = 2 the general iteration keeps two logits, two
 * assignments and two dual fields. Since {@code x_1 + x_2 = 1}, the extrapolations
 * satisfy {@code xbar_2 = 1 - xbar_1}, so {@code grad xbar_2 = -grad xbar_1}; both
 * duals start at 0 and the dual maps (tanh, {@code v/sqrt(1+|v|^2)}) are odd,
 * hence {@code z_2 = -z_1} and {@code p_2 = -p_1} for all iterations. The softmax
 * only depends on the logit difference {@code d = a_1 - a_2}:
 *
 * <pre>
 * d+   = d - tau (c_1 - c_2) / lambda + 2 tau div p_1
 * x+   = softmax_1 = 1 / (1 + e^(-d+)) = (1 + tanh(d+ / 2)) / 2
 * z_1 += sigma grad(2 x+ - x),  p_1 = Y(z_1)
 * </pre>
 *
 * This is the general iteration in exact arithmetic (the float results agree
 * within rounding) at half the state and without an exponential: the logistic
 * function is evaluated through the branch-free rational {@link FastTanh}.
 *
 * <p><b>Fusion.</b> As in {@link TvDenoiser}: one pass over memory per
 * iteration driven by {@link LinePipeline}, so the result is bit-identical for
 * any thread count.
 */
final class TwoLabelKernel {

	final float[] f;
	final float[] d, x; // logit difference a_1 - a_2, assignment x_1
	final float[][] p, z; // dual of label 1 (label 2 has the negatives)
	final int n, nx, ny, nz, comps, iterations;
	final float ihx, ihy, ihz;
	final float tauInvLambda, twoTau, sigma, m1, m2;
	final boolean iso;
	final Monitor monitor;
	final LinePipeline pipeline;
	int done;

	TwoLabelKernel(final float[] f, final Grid grid, final float[] means, final double lambda, final TvType type,
		final int iterations, final double ratio, final int threads, final Monitor monitor)
	{
		this.f = f;
		this.monitor = monitor;
		this.iterations = iterations;
		n = grid.size();
		nx = grid.nx();
		ny = grid.ny();
		nz = grid.nz();
		comps = grid.numDimensions();
		ihx = grid.dim(0) > 1 ? (float) (1 / grid.spacing(0)) : 0f;
		ihy = grid.dim(1) > 1 ? (float) (1 / grid.spacing(1)) : 0f;
		ihz = grid.dim(2) > 1 ? (float) (1 / grid.spacing(2)) : 0f;
		final float tau = (float) SegmentationUnrolled.primalStep(grid, ratio);
		sigma = (float) SegmentationUnrolled.dualStep(grid, ratio);
		tauInvLambda = tau * (float) (1 / lambda);
		twoTau = 2 * tau;
		m1 = means[0];
		m2 = means[1];
		iso = type == TvType.ISOTROPIC;
		d = new float[n];
		x = new float[n];
		java.util.Arrays.fill(x, 0.5f);
		p = new float[comps][n];
		z = new float[comps][n];
		pipeline = new LinePipeline(grid, threads);
	}

	/** Runs the iterations; throws {@link org.varlearn.solver.Canceled} when the monitor cancels. */
	void run() {
		done = pipeline.run(iterations, b -> new Lines(), monitor, null);
	}

	/** Soft assignment, K = 2 blocks of n. */
	float[] soft() {
		final float[] u = new float[2 * n];
		for (int i = 0; i < n; i++) {
			u[i] = x[i];
			u[n + i] = 1 - x[i];
		}
		return u;
	}

	/** Labels 1, 2 (2 where label 2's logit is larger, as the argmax of the general path). */
	int[] labels() {
		final int[] lab = new int[n];
		for (int i = 0; i < n; i++) lab[i] = d[i] < 0 ? 2 : 1;
		return lab;
	}

	/** Per-worker line buffers: every inner loop runs on these with a plain 0-based index (vectorized by the JIT). */
	private final class Lines implements LinePipeline.Worker {
		final float[] shifted = new float[nx + 1]; // 0 followed by the p_x line
		final float[] cur = new float[nx], prev = new float[nx], div = new float[nx];
		final float[] lf = new float[nx], ld = new float[nx], lx = new float[nx], lz = new float[nx];
		final float[][] q = new float[3][nx];

		@Override
		public void primal(final int line, final float[] ubar) {
			primalLine(line, ubar, this);
		}

		@Override
		public void dual(final int line, final float[] ubar, final float[] ubarY, final float[] ubarZ) {
			dualLine(line, ubar, ubarY, ubarZ, this);
		}
	}

	/** div p_1 on line l into w.div (p from the previous iteration: the dual of lines l-1.. is not yet updated). */
	private void divergence(final int l, final Lines w) {
		final int o = l * nx;
		final float[] sh = w.shifted, div = w.div, cur = w.cur, prev = w.prev;
		sh[0] = 0;
		System.arraycopy(p[0], o, sh, 1, nx);
		final float hx = ihx;
		for (int i = 0; i < nx; i++) div[i] = (sh[i + 1] - sh[i]) * hx;
		for (int c = 1; c < comps; c++) {
			final int coord = c == 1 ? l % ny : l / ny, stride = c == 1 ? nx : nx * ny;
			final float h = c == 1 ? ihy : ihz;
			System.arraycopy(p[c], o, cur, 0, nx);
			if (coord > 0) System.arraycopy(p[c], o - stride, prev, 0, nx);
			else java.util.Arrays.fill(prev, 0f);
			for (int i = 0; i < nx; i++) div[i] += (cur[i] - prev[i]) * h;
		}
	}

	private void primalLine(final int l, final float[] ring, final Lines w) {
		divergence(l, w);
		final int o = l * nx;
		final float[] t = w.div, lf = w.lf, ld = w.ld, lx = w.lx;
		System.arraycopy(f, o, lf, 0, nx);
		System.arraycopy(d, o, ld, 0, nx);
		System.arraycopy(x, o, lx, 0, nx);
		final float a = m1, c = m2, tl = tauInvLambda, tt = twoTau;
		for (int i = 0; i < nx; i++) {
			final float e1 = lf[i] - a, e2 = lf[i] - c;
			final float dn = ld[i] - (e1 * e1 - e2 * e2) * tl + tt * t[i];
			ld[i] = dn;
			t[i] = 0.5f * dn;
		}
		for (int i = 0; i < nx; i++) t[i] = FastTanh.tanh(t[i]);
		for (int i = 0; i < nx; i++) {
			final float xn = 0.5f + 0.5f * t[i];
			ring[i] = 2 * xn - lx[i];
			lx[i] = xn;
		}
		System.arraycopy(ld, 0, d, o, nx);
		System.arraycopy(lx, 0, x, o, nx);
	}

	/** Dual update of line dl from the extrapolation on it and on its +y, +z neighbours (itself where there is none). */
	private void dualLine(final int dl, final float[] u0, final float[] uy, final float[] uz, final Lines w) {
		final float[] qx = w.q[0];
		final float sx = sigma * ihx;
		for (int i = 0; i < nx - 1; i++) qx[i] = (u0[i + 1] - u0[i]) * sx;
		qx[nx - 1] = 0;
		for (int c = 1; c < comps; c++) {
			final float[] qd = w.q[c], src = c == 1 ? uy : uz;
			final float s = sigma * (c == 1 ? ihy : ihz);
			for (int i = 0; i < nx; i++) qd[i] = (src[i] - u0[i]) * s;
		}
		dualUpdate(dl * nx, w.q, w.lz);
	}

	/**
	 * z += q, p = Y(z) on one line. The maps run on the local line buffers q
	 * with a plain index (vectorized by the JIT) and are copied out.
	 */
	private void dualUpdate(final int o, final float[][] q, final float[] lz) {
		for (int c = 0; c < comps; c++) {
			final float[] qd = q[c];
			System.arraycopy(z[c], o, lz, 0, nx);
			for (int i = 0; i < nx; i++) qd[i] += lz[i];
			System.arraycopy(qd, 0, z[c], o, nx);
		}
		if (!iso) {
			for (int c = 0; c < comps; c++) {
				final float[] qd = q[c];
				for (int i = 0; i < nx; i++) qd[i] = FastTanh.tanh(qd[i]);
			}
		} else if (comps == 1) {
			final float[] q0 = q[0];
			for (int i = 0; i < nx; i++) q0[i] = q0[i] / (float) Math.sqrt(1f + q0[i] * q0[i]);
		} else if (comps == 2) {
			final float[] q0 = q[0], q1 = q[1];
			for (int i = 0; i < nx; i++) {
				final float v0 = q0[i], v1 = q1[i];
				final float r = 1f / (float) Math.sqrt(1f + v0 * v0 + v1 * v1);
				q0[i] = v0 * r;
				q1[i] = v1 * r;
			}
		} else {
			final float[] q0 = q[0], q1 = q[1], q2 = q[2];
			for (int i = 0; i < nx; i++) {
				final float v0 = q0[i], v1 = q1[i], v2 = q2[i];
				final float r = 1f / (float) Math.sqrt(1f + v0 * v0 + v1 * v1 + v2 * v2);
				q0[i] = v0 * r;
				q1[i] = v1 * r;
				q2[i] = v2 * r;
			}
		}
		for (int c = 0; c < comps; c++) System.arraycopy(q[c], 0, p[c], o, nx);
	}
}
