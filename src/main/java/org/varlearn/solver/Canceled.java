package org.varlearn.solver;

/** Thrown inside a computation when its {@link Monitor} reports cancellation. */
public final class Canceled extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public Canceled() {
		super("Canceled by the user.");
	}
}
