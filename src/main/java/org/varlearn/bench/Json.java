package org.varlearn.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Minimal JSON serializer for the benchmark report (maps, lists, strings, numbers, booleans). */
final class Json {

	private Json() {}

	static String write(final Object o) {
		final StringBuilder sb = new StringBuilder();
		write(sb, o, 0);
		return sb.append('\n').toString();
	}

	private static void write(final StringBuilder sb, final Object o, final int indent) {
		if (o == null) sb.append("null");
		else if (o instanceof Map) {
			final Map<?, ?> m = (Map<?, ?>) o;
			if (m.isEmpty()) {
				sb.append("{}");
				return;
			}
			sb.append("{\n");
			final Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
			while (it.hasNext()) {
				final Map.Entry<?, ?> e = it.next();
				pad(sb, indent + 1);
				string(sb, String.valueOf(e.getKey()));
				sb.append(": ");
				write(sb, e.getValue(), indent + 1);
				if (it.hasNext()) sb.append(',');
				sb.append('\n');
			}
			pad(sb, indent);
			sb.append('}');
		}
		else if (o instanceof List) {
			final List<?> l = (List<?>) o;
			final boolean flat = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
			sb.append('[');
			for (int i = 0; i < l.size(); i++) {
				if (!flat) {
					sb.append('\n');
					pad(sb, indent + 1);
				}
				write(sb, l.get(i), indent + 1);
				if (i + 1 < l.size()) sb.append(flat ? ", " : ",");
			}
			if (!flat && !l.isEmpty()) {
				sb.append('\n');
				pad(sb, indent);
			}
			sb.append(']');
		}
		else if (o instanceof double[]) {
			final double[] a = (double[]) o;
			sb.append('[');
			for (int i = 0; i < a.length; i++) {
				if (i > 0) sb.append(", ");
				number(sb, a[i]);
			}
			sb.append(']');
		}
		else if (o instanceof Double || o instanceof Float) number(sb, ((Number) o).doubleValue());
		else if (o instanceof Number || o instanceof Boolean) sb.append(o);
		else string(sb, o.toString());
	}

	private static void number(final StringBuilder sb, final double v) {
		if (Double.isFinite(v)) sb.append(v);
		else sb.append("null");
	}

	private static void string(final StringBuilder sb, final String s) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			final char c = s.charAt(i);
			switch (c) {
				case '"': sb.append("\\\""); break;
				case '\\': sb.append("\\\\"); break;
				case '\n': sb.append("\\n"); break;
				case '\t': sb.append("\\t"); break;
				default:
					if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
					else sb.append(c);
			}
		}
		sb.append('"');
	}

	private static void pad(final StringBuilder sb, final int indent) {
		for (int i = 0; i < indent; i++) sb.append("  ");
	}
}
