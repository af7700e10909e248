package org.varlearn.solver;

/**
 * Settings of a primal-dual run, shared by all models: how many iterations
 * (and optionally a relative primal-dual gap to stop at), the dual step, the
 * primal step size and the thread count. Immutable; the {@code with...}
 * methods return modified copies.
 *
 * <p>A model learned by unrolling records these settings, because the learned
 * parameters are tuned for exactly this iteration.
 */
public final class SolverSettings {

	/** Default primal step: tau = 0.25, the dual step follows from tau * sigma * ||K||^2 = 1. */
	public static final double DEFAULT_TAU = 0.25;

	public final int iterations;
	public final double tolerance;
	public final DualStep dualStep;
	public final double tau;
	public final int threads;
	public final int gapEvery;

	public SolverSettings(final int iterations, final double tolerance, final DualStep dualStep, final double tau,
		final int threads)
	{
		this(iterations, tolerance, dualStep, tau, threads, 10);
	}

	private SolverSettings(final int iterations, final double tolerance, final DualStep dualStep, final double tau,
		final int threads, final int gapEvery)
	{
		this.iterations = iterations;
		this.tolerance = tolerance;
		this.dualStep = dualStep;
		this.tau = tau;
		this.threads = threads;
		this.gapEvery = gapEvery;
	}

	/** 100 Euclidean iterations, no gap test, default tau, all cores. */
	public static SolverSettings defaults() {
		return new SolverSettings(100, 0, DualStep.EUCLIDEAN, DEFAULT_TAU, 0);
	}

	public SolverSettings withIterations(final int n) { return new SolverSettings(n, tolerance, dualStep, tau, threads, gapEvery); }
	public SolverSettings withTolerance(final double t) { return new SolverSettings(iterations, t, dualStep, tau, threads, gapEvery); }
	public SolverSettings withDualStep(final DualStep d) { return new SolverSettings(iterations, tolerance, d, tau, threads, gapEvery); }
	public SolverSettings withTau(final double t) { return new SolverSettings(iterations, tolerance, dualStep, t, threads, gapEvery); }
	public SolverSettings withThreads(final int t) { return new SolverSettings(iterations, tolerance, dualStep, tau, t, gapEvery); }
	public SolverSettings withGapEvery(final int k) { return new SolverSettings(iterations, tolerance, dualStep, tau, threads, k); }

	/**
	 * Checks the values and returns null when they are usable, or a message
	 * saying what is wrong and what to do.
	 */
	public String check() {
		if (iterations <= 0) return "The number of iterations must be at least 1 (got " + iterations + ").";
		if (!(tolerance >= 0) || Double.isInfinite(tolerance))
			return "The tolerance must be 0 (run all iterations) or a small positive number such as 1e-4 (got " + tolerance + ").";
		if (!(tau > 0) || Double.isInfinite(tau)) return "The primal step tau must be positive (got " + tau + ").";
		if (gapEvery < 1) return "The gap must be checked at least every iteration.";
		return null;
	}

	@Override
	public String toString() {
		return "iterations=" + iterations + " tolerance=" + tolerance + " dual=" + dualStep.name().toLowerCase() +
			" tau=" + tau + " threads=" + threads;
	}
}
