package org.varlearn.learn;

/** A differentiable training loss of a model output against its target. */
public interface Loss {

	/** Loss value of output {@code x}. */
	double value(double[] x);

	/** Writes {@code d loss / d x} into {@code out}. */
	void gradient(double[] x, double[] out);
}
