package dev.drep.testsupport.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures every log record of the JVM (the Quarkus application under test included) as text: level, logger,
 * the formatted message, and the stack trace of any attached exception. Tests use it to check what reaches
 * the logs (and that secrets never do).
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    private CapturedLog() {
    }

    /** @return a capture attached to the root logger */
    public static CapturedLog attach() {
        CapturedLog capture = new CapturedLog();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatter.formatMessage(record);
        StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " " + message);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        entries.add(new Entry(line.toString(), message,
                record instanceof ExtLogRecord ext ? Map.copyOf(ext.getMdcCopy()) : Map.of()));
    }

    /**
     * One captured record.
     *
     * @param line    level, logger, the formatted message and any stack trace, as {@link #lines()} gives it
     * @param message the formatted message alone
     * @param mdc     the log context as it was when the line was written (jobId, traceId, spanId, as they reach
     *                the JSON log lines)
     */
    public record Entry(String line, String message, Map<String, String> mdc) {
    }

    /** @return every captured record so far, with its log context */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** @return everything captured so far, one entry per record */
    public List<String> lines() {
        return entries.stream().map(Entry::line).toList();
    }

    /** @return everything captured so far as one text */
    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
