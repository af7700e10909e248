package org.varlearn.learn;

/**
 * A differentiable training objective of the unconstrained parameters. For
 * minibatch training, {@link #batches()} is larger than 1 and
 * {@link #evaluate(double[], double[], int)} evaluates one batch.
 */
public interface Objective {

	/** Loss at {@code theta} over the whole training set; writes its gradient into {@code grad}. */
	double evaluate(double[] theta, double[] grad);

	/** Number of minibatches (1 = full batch only). */
	default int batches() { return 1; }

	/** Loss and gradient over minibatch {@code batch} (default: the whole set). */
	default double evaluate(final double[] theta, final double[] grad, final int batch) {
		return evaluate(theta, grad);
	}
}
