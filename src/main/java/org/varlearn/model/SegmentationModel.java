package org.varlearn.model;

import org.varlearn.solver.TvType;

/**
 * A multi-label segmentation model: class means in the intensity units of
 * its training images, the TV weight lambda for intensities divided by the
 * nominal intensity {@link #peak} of those images (255 for 8-bit data, else
 * about the 99.9th percentile, see {@link TvAutoLambda#guessPeak}), and the
 * iteration it was learned for (TV type, T iterations, step ratio). The
 * segmenter is run on {@code image / peak} with {@code means / peak}, so a
 * model applies unchanged to images on the same intensity scale as its
 * training data. Training loss history and provenance travel with it.
 */
public final class SegmentationModel {

	/** Class means theta_1..theta_K, in image intensity units. */
	public final double[] means;
	/** TV weight for intensities normalized by {@link #peak}. */
	public final double lambda;
	/** Intensity that is 1 after normalization. */
	public final double peak;
	public final TvType tvType;
	public final int iterations;
	public final double ratio;
	/** Training loss ("squared" or "crossentropy"; empty when not trained). */
	public final String loss;
	/** Training loss after each accepted optimizer step (entry 0 = initial). */
	public final double[] lossHistory;
	/** Where the training data came from and how it was trained (free text lines). */
	public final String[] provenance;

	public SegmentationModel(final double[] means, final double lambda, final double peak, final TvType tvType,
		final int iterations, final double ratio, final String loss, final double[] lossHistory, final String[] provenance)
	{
		this.means = means.clone();
		this.lambda = lambda;
		this.peak = peak;
		this.tvType = tvType;
		this.iterations = iterations;
		this.ratio = ratio;
		this.loss = loss == null ? "" : loss;
		this.lossHistory = lossHistory == null ? new double[0] : lossHistory.clone();
		this.provenance = provenance == null ? new String[0] : provenance.clone();
	}

	/** Number of labels K. */
	public int labels() {
		return means.length;
	}

	/** The means divided by {@link #peak}, as the segmenter uses them. */
	public double[] normalizedMeans() {
		final double[] m = new double[means.length];
		for (int k = 0; k < m.length; k++) m[k] = means[k] / peak;
		return m;
	}

	/** Null when the values are usable, else what is wrong. */
	public String check() {
		if (means.length < 2 || means.length > 16) return "'means' must hold 2 to 16 class means (got " + means.length + ")";
		for (final double m : means) if (!Double.isFinite(m)) return "the class means must be finite numbers";
		if (!(lambda > 0) || Double.isInfinite(lambda)) return "lambda must be positive and finite (got " + lambda + ")";
		if (!(peak > 0) || Double.isInfinite(peak)) return "peak must be positive and finite (got " + peak + ")";
		if (iterations < 1) return "iterations must be at least 1 (got " + iterations + ")";
		if (!(ratio > 0) || Double.isInfinite(ratio)) return "ratio must be positive (got " + ratio + ")";
		return null;
	}
}
