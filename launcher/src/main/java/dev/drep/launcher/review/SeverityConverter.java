package dev.drep.launcher.review;

import dev.drep.contracts.Severity;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --fail-on}: {@code error}, {@code warning} or {@code info}, in any case. */
public final class SeverityConverter implements ITypeConverter<Severity> {
    @Override
    public Severity convert(String value) {
        try {
            return Severity.parse(value);
        } catch (IllegalArgumentException e) {
            // picocli shows a TypeConversionException's message as is (names the valid values)
            throw new TypeConversionException(e.getMessage());
        }
    }
}
