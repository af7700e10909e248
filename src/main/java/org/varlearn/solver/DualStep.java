package org.varlearn.solver;

/**
 * How the dual variable of a TV-type term is kept in its constraint set.
 */
public enum DualStep {
	/** Ordinary Euclidean projection onto the box or ball (the classic Chambolle-Pock step). */
	EUCLIDEAN,
	/**
	 * Bregman proximity step: box entropy for anisotropic TV ({@code p = tanh(z)}),
	 * the l2-ball function {@code -sqrt(1-|p|^2)} for isotropic TV
	 * ({@code p = v / sqrt(1+|v|^2)}); smooth in the data, hence differentiable.
	 */
	BREGMAN;

	/** Parses "euclidean"/"bregman" (case-insensitive). */
	public static DualStep parse(final String s) {
		for (final DualStep d : values()) if (d.name().equalsIgnoreCase(s.trim())) return d;
		throw new IllegalArgumentException("Unknown dual step '" + s + "': use euclidean or bregman.");
	}
}
