package dev.sqliteengine.webconsole;

/**
 * JSON text for the charts' data: strings escaped as RFC 8259 requires, numbers without an
 * exponent. Engine names, pool names and health messages come from outside, so every string
 * goes through {@link #string}.
 */
final class Json {

    private Json() {}

    /** Appends {@code value} as a JSON string, quoted and escaped. */
    static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' too, so no "</script>" can ever come out of a value
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends a number with at most three decimals, as the charts need, and no exponent. */
    static StringBuilder number(StringBuilder out, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return out.append("null");
        }
        long thousandths = Math.round(value * 1000);
        if (thousandths % 1000 == 0) {
            return out.append(thousandths / 1000);
        }
        return out.append(java.math.BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString());
    }
}
