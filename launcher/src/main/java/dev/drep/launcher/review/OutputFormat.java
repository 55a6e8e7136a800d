package dev.drep.launcher.review;

/** What {@code drep review} prints at the end. */
public enum OutputFormat {
    /** the summary and one line per finding, for people and CI logs */
    TEXT,
    /** the content of review.json, for tools */
    JSON;

    /** @return the format named {@code text} or {@code json}, in any case */
    public static OutputFormat parse(String text) {
        for (OutputFormat format : values()) {
            if (format.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "': expected text or json");
    }

    /** Reads {@code --format}. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
