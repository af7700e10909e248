package org.varlearn.image;

import org.varlearn.operator.Grid;

/**
 * A flat scalar field as the numerical core consumes it: a {@code float[]}
 * stored x-fastest and the {@link Grid} that gives its shape and voxel
 * spacing. The array may be shared with the image it came from (see
 * {@link #shared}), so callers must not modify it unless they own it.
 */
public final class Field {

	public final float[] data;
	public final Grid grid;
	/** True when {@link #data} is the source image's own pixel array (no copy was made). */
	public final boolean shared;

	public Field(final float[] data, final Grid grid, final boolean shared) {
		if (data.length != grid.size())
			throw new IllegalArgumentException("Field data length " + data.length + " does not match " + grid + ".");
		this.data = data;
		this.grid = grid;
		this.shared = shared;
	}
}
