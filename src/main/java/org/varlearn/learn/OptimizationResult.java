package org.varlearn.learn;

/**
 * What an upper-level optimization produced: the best parameters seen, their
 * loss, the loss after every outer iteration, and why it stopped.
 */
public final class OptimizationResult {

	public final double[] best;
	public final double bestLoss;
	public final double[] history;
	public final int evaluations;
	public final boolean canceled;
	public final String stopReason;

	public OptimizationResult(final double[] best, final double bestLoss, final double[] history, final int evaluations,
		final boolean canceled, final String stopReason)
	{
		this.best = best;
		this.bestLoss = bestLoss;
		this.history = history;
		this.evaluations = evaluations;
		this.canceled = canceled;
		this.stopReason = stopReason;
	}
}
