package org.varlearn.learn;

import org.varlearn.solver.DualStep;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;

/**
 * How to learn a TV denoising model: the lower-level iteration to unroll
 * (TV type, T iterations, tau, dual step, ergodic output), the upper-level
 * optimizer, optional patch cropping, the intensity peak the data is divided
 * by, and the thread count. Immutable value with public fields.
 */
public final class TvTrainingSettings {

	public final TvType tvType;
	public final int iterations;
	public final double tau;
	public final DualStep dualStep;
	public final boolean ergodic;
	public final OptimizerSettings optimizer;
	/** Patch side for cropping pairs (0 = whole images). */
	public final int patchSize;
	/** Pairs per minibatch for Adam (0 = all). */
	public final int batchSize;
	/** Nominal intensity peak of the data (e.g. 255 for 8-bit), recorded in the model. */
	public final double peak;
	/** Initial lambda in data units; NaN = from the estimated noise level. */
	public final double initialLambda;
	public final int threads;
	/**
	 * True: the loss is the geometric mean of the per-image mean squared errors, whose PSNR is the
	 * mean PSNR over the images (every image counts alike, as in denoising benchmarks); false: the
	 * mean squared error pooled over all pixels (large, textured images dominate).
	 */
	public final boolean meanPsnr;

	public TvTrainingSettings(final TvType tvType, final int iterations, final double tau, final DualStep dualStep,
		final boolean ergodic, final OptimizerSettings optimizer, final int patchSize, final int batchSize,
		final double peak, final double initialLambda, final int threads)
	{
		this(tvType, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, threads, true);
	}

	public TvTrainingSettings(final TvType tvType, final int iterations, final double tau, final DualStep dualStep,
		final boolean ergodic, final OptimizerSettings optimizer, final int patchSize, final int batchSize,
		final double peak, final double initialLambda, final int threads, final boolean meanPsnr)
	{
		this.meanPsnr = meanPsnr;
		this.tvType = tvType;
		this.iterations = iterations;
		this.tau = tau;
		this.dualStep = dualStep;
		this.ergodic = ergodic;
		this.optimizer = optimizer;
		this.patchSize = patchSize;
		this.batchSize = batchSize;
		this.peak = peak;
		this.initialLambda = initialLambda;
		this.threads = threads;
	}

	/** Isotropic, 200 Bregman iterations, tau 0.25, last iterate, L-BFGS for 30 iterations, peak 1, mean-PSNR loss. */
	public static TvTrainingSettings defaults() {
		return new TvTrainingSettings(TvType.ISOTROPIC, 200, SolverSettings.DEFAULT_TAU, DualStep.BREGMAN, false,
			OptimizerSettings.lbfgs(30), 0, 0, 1, Double.NaN, 0);
	}

	public TvTrainingSettings withIterations(final int t) {
		return new TvTrainingSettings(tvType, t, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withTvType(final TvType t) {
		return new TvTrainingSettings(t, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withErgodic(final boolean e) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, e, optimizer, patchSize, batchSize, peak, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withOptimizer(final OptimizerSettings o) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, o, patchSize, batchSize, peak, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withPatches(final int size, final int batch) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, optimizer, size, batch, peak, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withPeak(final double p) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, p, initialLambda, threads, meanPsnr);
	}

	public TvTrainingSettings withInitialLambda(final double l) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, l, threads, meanPsnr);
	}

	public TvTrainingSettings withThreads(final int t) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, t, meanPsnr);
	}

	public TvTrainingSettings withDualStep(final DualStep d) {
		return new TvTrainingSettings(tvType, iterations, tau, d, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, threads, meanPsnr);
	}

	/** Chooses the loss: mean PSNR over images (true) or MSE pooled over pixels (false). */
	public TvTrainingSettings withMeanPsnr(final boolean m) {
		return new TvTrainingSettings(tvType, iterations, tau, dualStep, ergodic, optimizer, patchSize, batchSize, peak, initialLambda, threads, m);
	}

	/** Null when usable, else a message saying what is wrong and what to do. */
	public String check() {
		if (iterations < 1) return "The number of unrolled iterations must be at least 1 (got " + iterations + ").";
		if (!(tau > 0)) return "tau must be positive (got " + tau + ").";
		if (!(peak > 0) || Double.isInfinite(peak)) return "The intensity peak must be positive (got " + peak + "), e.g. 255 for 8-bit data.";
		if (patchSize < 0 || (patchSize > 0 && patchSize < 4)) return "The patch size must be 0 (whole images) or at least 4 (got " + patchSize + ").";
		if (!Double.isNaN(initialLambda) && !(initialLambda > 0)) return "The initial lambda must be positive (got " + initialLambda + ").";
		return optimizer.check();
	}
}
