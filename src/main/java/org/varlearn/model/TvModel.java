package org.varlearn.model;

import org.varlearn.solver.DualStep;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;

/**
 * A learned TV denoising model: lambda in the intensity units of its training
 * data, whose nominal peak (1 for [0,1] data, 255 for 8-bit) it records, and
 * the exact iteration it was learned for (TV type, iterations, tau, dual
 * step, ergodic output). Applied to data of peak {@code P} it uses
 * {@code lambda * P / peak} with the same iteration, because the unrolled
 * result is tied to it. Training provenance travels with it for the model file.
 */
public final class TvModel {

	public final double lambda;
	/** Nominal intensity peak of the training data that lambda and trainingSigma refer to. */
	public final double peak;
	public final TvType tvType;
	public final int iterations;
	public final double tau;
	public final DualStep dualStep;
	public final boolean ergodic;
	/** Noise sigma of the training inputs (same units as lambda), estimated robustly; NaN if unknown. */
	public final double trainingSigma;
	/** Mean training loss per optimizer iteration. */
	public final double[] lossHistory;
	/** Where the training data came from and how it was trained (free text lines). */
	public final String[] provenance;

	public TvModel(final double lambda, final double peak, final TvType tvType, final int iterations, final double tau,
		final DualStep dualStep, final boolean ergodic, final double trainingSigma, final double[] lossHistory,
		final String[] provenance)
	{
		this.lambda = lambda;
		this.peak = peak;
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
		if (!(peak > 0) || Double.isInfinite(peak)) return "peak must be positive and finite (got " + peak + ")";
		if (iterations < 1) return "iterations must be at least 1 (got " + iterations + ")";
		if (!(tau > 0) || Double.isInfinite(tau)) return "tau must be positive (got " + tau + ")";
		return null;
	}

	/** lambda for data whose nominal peak is {@code dataPeak}. */
	public double lambdaFor(final double dataPeak) {
		return lambda * dataPeak / peak;
	}

	/** The solver settings the model was trained with, for the given thread count. */
	public SolverSettings solverSettings(final int threads) {
		return new SolverSettings(iterations, 0, dualStep, tau, threads);
	}
}
