package org.varlearn.model;

import org.varlearn.operator.Grid;
import org.varlearn.solver.FastTanh;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;
import org.varlearn.solver.WorkerTeam;

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
 * iteration, lines along x in order, the dual update of a line trailing the
 * primal update by one line (2D) or one plane (3D), the extrapolation kept in a
 * small ring buffer; threads own contiguous blocks of lines and finish the last
 * dual lines of their block after a barrier with the next block's first
 * extrapolated lines, so the result is bit-identical for any thread count.
 */
final class TwoLabelKernel {

	final float[] f;
	final float[] d, x; // logit difference a_1 - a_2, assignment x_1
	final float[][] p, z; // dual of label 1 (label 2 has the negatives)
	final int n, nx, ny, nz, comps, lines, lag, blocks, iterations;
	final float ihx, ihy, ihz;
	final float tauInvLambda, twoTau, sigma, m1, m2;
	final boolean iso;
	final Monitor monitor;
	final WorkerTeam team;
	final int[] blockStart;
	final float[][] head; // extrapolation of the first `lag` lines of each block
	volatile boolean canceled;
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
		lines = grid.lines();
		lag = nz > 1 ? ny : 1;
		ihx = grid.dim(0) > 1 ? (float) (1 / grid.spacing(0)) : 0f;
		ihy = grid.dim(1) > 1 ? (float) (1 / grid.spacing(1)) : 0f;
		ihz = grid.dim(2) > 1 ? (float) (1 / grid.spacing(2)) : 0f;
		final double l = Math.sqrt(Math.max(grid.gradientNormSquaredBound(), 1e-300));
		final float tau = (float) (ratio / l);
		sigma = (float) (1 / (ratio * l));
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
		final int units = Math.max(1, lines / lag);
		blocks = Math.max(1, Math.min(WorkerTeam.threads(threads), units));
		team = new WorkerTeam(blocks);
		blockStart = new int[blocks + 1];
		for (int b = 0; b <= blocks; b++) blockStart[b] = (int) ((long) units * b / blocks) * lag;
		head = new float[blocks][lag * nx];
	}

	void run() { team.run(this::work); }

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

	private void work(final int b) {
		final int start = blockStart[b], end = blockStart[b + 1];
		final float[] ring = new float[(lag + 1) * nx];
		final float[] div = new float[nx];
		final float[][] q = new float[3][nx];
		final float[] zeros = new float[nx];
		for (int it = 0; it < iterations; it++) {
			for (int l = start; l < end; l++) {
				final int ro = ((l - start) % (lag + 1)) * nx;
				primalLine(l, ring, ro, div, zeros);
				if (l - start < lag) System.arraycopy(ring, ro, head[b], (l - start) * nx, nx);
				final int dl = l - lag;
				if (dl >= start) dualFromRing(dl, start, end, ring, null, q);
			}
			team.await();
			final float[] next = b + 1 < blocks ? head[b + 1] : null;
			for (int dl = Math.max(start, end - lag); dl < end; dl++) dualFromRing(dl, start, end, ring, next, q);
			if (b == 0) {
				done = it + 1;
				monitor.progress(done, iterations);
				if (monitor.isCanceled()) canceled = true;
			}
			team.await();
			if (canceled) return;
		}
	}

	private void primalLine(final int l, final float[] ring, final int ro, final float[] div, final float[] zeros) {
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
		final float[] dd = d, xx = x, ff = f;
		final float a = m1, c = m2, tl = tauInvLambda, tt = twoTau;
		for (int i = 0; i < nx; i++) {
			final float e1 = ff[o + i] - a, e2 = ff[o + i] - c;
			final float dn = dd[o + i] - (e1 * e1 - e2 * e2) * tl + tt * div[i];
			dd[o + i] = dn;
			div[i] = 0.5f * dn;
		}
		// a loop on one local array with a plain index: the JIT vectorizes it
		for (int i = 0; i < nx; i++) div[i] = FastTanh.tanh(div[i]);
		for (int i = 0; i < nx; i++) {
			final float xn = 0.5f + 0.5f * div[i];
			ring[ro + i] = 2 * xn - xx[o + i];
			xx[o + i] = xn;
		}
	}

	/** Dual update of line dl; extrapolated lines at or past the block end come from {@code next}. */
	private void dualFromRing(final int dl, final int start, final int end, final float[] ring, final float[] next,
		final float[][] q)
	{
		final int o0 = ((dl - start) % (lag + 1)) * nx;
		final int y = dl % ny, zc = dl / ny;
		final float[] qx = q[0];
		final float sx = sigma * ihx;
		for (int i = 0; i < nx - 1; i++) qx[i] = (ring[o0 + i + 1] - ring[o0 + i]) * sx;
		qx[nx - 1] = 0;
		if (comps > 1) neighbourDifference(q[1], ring, o0, y + 1 < ny, dl + 1, start, end, next, sigma * ihy);
		if (comps > 2) neighbourDifference(q[2], ring, o0, zc + 1 < nz, dl + ny, start, end, next, sigma * ihz);
		dualUpdate(dl * nx, q);
	}

	private void neighbourDifference(final float[] qd, final float[] ring, final int o0, final boolean exists,
		final int nl, final int start, final int end, final float[] next, final float s)
	{
		if (!exists) {
			java.util.Arrays.fill(qd, 0);
			return;
		}
		final float[] src;
		final int so;
		if (nl < end) {
			src = ring;
			so = ((nl - start) % (lag + 1)) * nx;
		} else {
			src = next;
			so = (nl - end) * nx;
		}
		for (int i = 0; i < nx; i++) qd[i] = (src[so + i] - ring[o0 + i]) * s;
	}

	/**
	 * z += q, p = Y(z) on one line. The maps run on the local line buffers q
	 * with a plain index (vectorized by the JIT) and are copied out.
	 */
	private void dualUpdate(final int o, final float[][] q) {
		for (int c = 0; c < comps; c++) {
			final float[] zd = z[c], qd = q[c];
			for (int i = 0; i < nx; i++) {
				final float v = zd[o + i] + qd[i];
				zd[o + i] = v;
				qd[i] = v;
			}
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
