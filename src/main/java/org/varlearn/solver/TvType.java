package org.varlearn.solver;

/** Which norm of the gradient total variation sums. */
public enum TvType {
	/** {@code sum_i |grad u(i)|_2}: rotation invariant. */
	ISOTROPIC,
	/** {@code sum_i |grad u(i)|_1}: favours axis-aligned edges. */
	ANISOTROPIC;

	/** Parses "isotropic"/"anisotropic" (case-insensitive). */
	public static TvType parse(final String s) {
		for (final TvType t : values()) if (t.name().equalsIgnoreCase(s.trim())) return t;
		throw new IllegalArgumentException("Unknown TV type '" + s + "': use isotropic or anisotropic.");
	}
}
