package org.varlearn.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.varlearn.solver.Canceled;
import org.varlearn.solver.Monitor;

/**
 * Minimizes an {@link Objective} of unconstrained parameters with the method
 * chosen in {@link OptimizerSettings}:
 * <ul>
 * <li>gradient descent with Armijo backtracking ({@code f(t) <= f - 1e-4 t |g|^2};
 * the accepted step doubles for the next iteration);</li>
 * <li>L-BFGS (memory 6) with the same Armijo backtracking along its direction;</li>
 * <li>both stop when the parameters move by less than 1e-7 in an iteration, the
 * relative decrease of the loss falls below 1e-12 (L-BFGS), or the gradient norm
 * falls below the tolerance;</li>
 * <li>Adam over the objective's minibatches (cycled in a seeded random order).</li>
 * </ul>
 * Cancelling through the {@link Monitor} (checked between evaluations, or a
 * {@link Canceled} thrown by an evaluation) returns the best parameters found
 * so far, never a half-updated state.
 */
public final class UpperLevelOptimizer {

	private UpperLevelOptimizer() {}

	private static final double ARMIJO = 1e-4;
	private static final int MAX_HALVINGS = 40;
	private static final int MEMORY = 6;
	/**
	 * GD and L-BFGS stop when no parameter moves by more than this in one
	 * iteration (log-parametrized values: a relative change of 1e-7).
	 */
	static final double STEP_TOLERANCE = 1e-7;

	public static OptimizationResult minimize(final Objective objective, final double[] theta0,
		final OptimizerSettings settings, final Monitor monitor)
	{
		final String problem = settings.check();
		if (problem != null) throw new IllegalArgumentException(problem);
		final Run run = new Run(objective, theta0, settings, monitor == null ? Monitor.NONE : monitor);
		try {
			switch (settings.method) {
				case GRADIENT_DESCENT: run.gradientDescent(); break;
				case LBFGS: run.lbfgs(); break;
				default: run.adam();
			}
		} catch (final Canceled e) {
			run.canceled = true;
			run.reason = "canceled";
		}
		return run.result();
	}

	private static final class Run {
		final Objective objective;
		final OptimizerSettings settings;
		final Monitor monitor;
		final int n;
		double[] best;
		double bestLoss = Double.POSITIVE_INFINITY;
		final List<Double> history = new ArrayList<>();
		int evaluations;
		boolean canceled;
		String reason = "iteration limit";
		double[] theta;

		Run(final Objective objective, final double[] theta0, final OptimizerSettings settings, final Monitor monitor) {
			this.objective = objective;
			this.settings = settings;
			this.monitor = monitor;
			this.theta = theta0.clone();
			this.n = theta0.length;
			this.best = theta0.clone();
		}

		OptimizationResult result() {
			final double[] h = new double[history.size()];
			for (int i = 0; i < h.length; i++) h[i] = history.get(i);
			return new OptimizationResult(best, bestLoss, h, evaluations, canceled, reason);
		}

		double eval(final double[] t, final double[] g) {
			if (monitor.isCanceled()) throw new Canceled();
			final double f = objective.evaluate(t, g);
			evaluations++;
			if (!Double.isFinite(f)) return Double.POSITIVE_INFINITY;
			if (f < bestLoss) {
				bestLoss = f;
				best = t.clone();
			}
			return f;
		}

		void record(final int iteration, final double f) {
			history.add(f);
			monitor.progress(iteration, settings.maxIterations);
			monitor.status(String.format(java.util.Locale.ROOT, "iteration %d  loss %.6g", iteration, f));
		}

		void gradientDescent() {
			final double[] g = new double[n], gn = new double[n], tn = new double[n];
			double f = eval(theta, g);
			if (!Double.isFinite(f)) throw new IllegalArgumentException("The training loss is not finite at the initial parameters.");
			record(0, f);
			double t = settings.step;
			for (int it = 1; it <= settings.maxIterations; it++) {
				final double gg = dot(g, g);
				if (Math.sqrt(gg) <= settings.gradientTolerance) { reason = "gradient below tolerance"; return; }
				boolean accepted = false;
				for (int h = 0; h < MAX_HALVINGS; h++) {
					for (int i = 0; i < n; i++) tn[i] = theta[i] - t * g[i];
					final double fn = eval(tn, gn);
					if (fn <= f - ARMIJO * t * gg) {
						if (maxAbsDifference(tn, theta) <= STEP_TOLERANCE) {
							System.arraycopy(tn, 0, theta, 0, n);
							record(it, fn);
							reason = "parameters converged";
							return;
						}
						System.arraycopy(tn, 0, theta, 0, n);
						System.arraycopy(gn, 0, g, 0, n);
						f = fn;
						accepted = true;
						break;
					}
					t /= 2;
				}
				if (!accepted) { reason = "no decrease along the gradient (converged to float precision)"; return; }
				record(it, f);
				t *= 2;
			}
		}

		void lbfgs() {
			final double[] g = new double[n], gn = new double[n], tn = new double[n], d = new double[n];
			final List<double[]> ss = new ArrayList<>(), ys = new ArrayList<>();
			double f = eval(theta, g);
			if (!Double.isFinite(f)) throw new IllegalArgumentException("The training loss is not finite at the initial parameters.");
			record(0, f);
			for (int it = 1; it <= settings.maxIterations; it++) {
				if (Math.sqrt(dot(g, g)) <= settings.gradientTolerance) { reason = "gradient below tolerance"; return; }
				direction(g, ss, ys, d);
				double slope = dot(g, d);
				if (slope >= 0) { // not a descent direction: restart from the gradient
					ss.clear();
					ys.clear();
					for (int i = 0; i < n; i++) d[i] = -g[i];
					slope = -dot(g, g);
				}
				double t = ss.isEmpty() ? Math.min(1, settings.step / Math.sqrt(dot(d, d))) : 1;
				boolean accepted = false;
				double fn = f;
				for (int h = 0; h < MAX_HALVINGS; h++) {
					for (int i = 0; i < n; i++) tn[i] = theta[i] + t * d[i];
					fn = eval(tn, gn);
					if (fn <= f + ARMIJO * t * slope) { accepted = true; break; }
					t /= 2;
				}
				if (!accepted) { reason = "no decrease along the search direction (converged to float precision)"; return; }
				final double[] s = new double[n], y = new double[n];
				for (int i = 0; i < n; i++) {
					s[i] = tn[i] - theta[i];
					y[i] = gn[i] - g[i];
				}
				if (dot(s, y) > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
					ss.add(s);
					ys.add(y);
					if (ss.size() > MEMORY) {
						ss.remove(0);
						ys.remove(0);
					}
				}
				final double moved = maxAbsDifference(tn, theta);
				System.arraycopy(tn, 0, theta, 0, n);
				System.arraycopy(gn, 0, g, 0, n);
				final double decrease = f - fn;
				f = fn;
				record(it, f);
				if (decrease <= 1e-12 * Math.abs(f)) { reason = "no further decrease"; return; }
				if (moved <= STEP_TOLERANCE) { reason = "parameters converged"; return; }
			}
		}

		/** Two-loop recursion: d = -H g. */
		private void direction(final double[] g, final List<double[]> ss, final List<double[]> ys, final double[] d) {
			final int m = ss.size();
			final double[] q = g.clone(), alpha = new double[m];
			for (int k = m - 1; k >= 0; k--) {
				final double rho = 1 / dot(ys.get(k), ss.get(k));
				alpha[k] = rho * dot(ss.get(k), q);
				axpy(-alpha[k], ys.get(k), q);
			}
			if (m > 0) {
				final double gamma = dot(ss.get(m - 1), ys.get(m - 1)) / dot(ys.get(m - 1), ys.get(m - 1));
				for (int i = 0; i < n; i++) q[i] *= gamma;
			}
			for (int k = 0; k < m; k++) {
				final double rho = 1 / dot(ys.get(k), ss.get(k));
				final double beta = rho * dot(ys.get(k), q);
				axpy(alpha[k] - beta, ss.get(k), q);
			}
			for (int i = 0; i < n; i++) d[i] = -q[i];
		}

		void adam() {
			final double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = settings.step;
			final double[] m = new double[n], v = new double[n], g = new double[n];
			final int batches = Math.max(1, objective.batches());
			final int[] order = new int[batches];
			for (int i = 0; i < batches; i++) order[i] = i;
			final Random random = new Random(42);
			for (int it = 1; it <= settings.maxIterations; it++) {
				if ((it - 1) % batches == 0) shuffle(order, random);
				if (monitor.isCanceled()) throw new Canceled();
				final double f = objective.evaluate(theta, g, order[(it - 1) % batches]);
				evaluations++;
				if (!Double.isFinite(f)) throw new IllegalArgumentException("The training loss became non-finite; lower the learning rate.");
				for (int i = 0; i < n; i++) {
					m[i] = b1 * m[i] + (1 - b1) * g[i];
					v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
					final double mh = m[i] / (1 - Math.pow(b1, it)), vh = v[i] / (1 - Math.pow(b2, it));
					theta[i] -= lr * mh / (Math.sqrt(vh) + eps);
				}
				record(it, f);
			}
			// minibatch losses are noisy: the result is the final iterate, scored on the whole set
			final double[] gFull = new double[n];
			bestLoss = Double.POSITIVE_INFINITY;
			eval(theta, gFull);
		}
	}

	private static void shuffle(final int[] a, final Random r) {
		for (int i = a.length - 1; i > 0; i--) {
			final int j = r.nextInt(i + 1);
			final int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}

	static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}

	private static double maxAbsDifference(final double[] a, final double[] b) {
		double m = 0;
		for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
		return m;
	}

	private static void axpy(final double a, final double[] x, final double[] y) {
		for (int i = 0; i < y.length; i++) y[i] += a * x[i];
	}
}
