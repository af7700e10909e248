package org.varlearn.model;

import org.varlearn.solver.DualStep;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;

/**
 * A learned TV denoising model: lambda for images whose intensity peak is 1,
 * and the exact iteration it was learned for (TV type, iterations, tau, dual
 * step, ergodic output). Applying it to an image of peak {@code P} uses
 * {@code lambda * P} with the same iteration, because the unrolled result is
 * tied to it. Training provenance travels with it for the model file.
 */
public final class TvModel {

	public final double lambda;
	public final TvType tvType;
	public final int iterations;
	public final double tau;
	public final DualStep dualStep;
	public final boolean ergodic;
	/** Noise sigma of the training inputs (peak 1), estimated robustly; NaN if unknown. */
	public final double trainingSigma;
	/** Mean training loss per optimizer iteration. */
	public final double[] lossHistory;
	/** Where the training data came from and how it was trained (free text lines). */
	public final String[] provenance;

	public TvModel(final double lambda, final TvType tvType, final int iterations, final double tau,
		final DualStep dualStep, final boolean ergodic, final double trainingSigma, final double[] lossHistory,
		final String[] provenance)
	{
		this.lambda = lambda;
		this.tvType = tvType;
		this.iterations = iterations;
		this.tau = tau;
		this.dualStep = dualStep;
		this.ergodic = ergodic;
		this.trainingSigma = trainingSigma;
		this.lossHistory = lossHistory == null ? new double[0] : lossHistory.clone();
		this.provenance = provenance == null ? new String[0] : provenance.clone();
	}

	/** Null when the values are usable, else what is wrong. */
	public String check() {
		if (!(lambda > 0) || Double.isInfinite(lambda)) return "lambda must be positive and finite (got " + lambda + ")";
		if (iterations < 1) return "iterations must be at least 1 (got " + iterations + ")";
		if (!(tau > 0) || Double.isInfinite(tau)) return "tau must be positive (got " + tau + ")";
		return null;
	}

	/** The solver settings the model was trained with, for the given thread count. */
	public SolverSettings solverSettings(final int threads) {
		return new SolverSettings(iterations, 0, dualStep, tau, threads);
	}
}
