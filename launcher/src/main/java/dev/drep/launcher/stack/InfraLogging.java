package dev.drep.launcher.stack;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends java.util.logging (where embedded PostgreSQL and Artemis log, through slf4j-jdk14) to a file:
 * their hundred lines of start-up chatter do not belong on the user's terminal.
 *
 * <p>The redirection is not undone when the stack stops: PostgreSQL's shutdown is logged by a
 * background thread that may write after {@code close()} returned, and those lines belong in the file
 * too, not in the middle of the review on the terminal. The next redirection replaces the file. The
 * launcher itself does not log through java.util.logging.
 */
final class InfraLogging implements AutoCloseable {
    private static final Object LOCK = new Object();
    private static Handler current;

    private final Handler file;

    private InfraLogging(Handler file) {
        this.file = file;
    }

    /** Sends every log record of this JVM to {@code logFile} (appending), from now on. */
    static InfraLogging redirectTo(Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Handler handler = new FlushingHandler(new FileOutputStream(logFile.toFile(), true));
        Logger root = LogManager.getLogManager().getLogger("");
        synchronized (LOCK) {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
                if (h == current) {
                    h.close();
                }
            }
            root.addHandler(handler);
            root.setLevel(Level.INFO);
            current = handler;
        }
        return new InfraLogging(handler);
    }

    /** Flushes the file; records that arrive later still go to it (see the class comment). */
    @Override
    public void close() {
        file.flush();
    }

    private static final class FlushingHandler extends StreamHandler {
        FlushingHandler(FileOutputStream out) {
            super(out, new OneLineFormatter());
            setLevel(Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush(); // the tail of this file is shown when something fails to start
        }
    }

    private static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(record.getLoggerName()).append(": ")
                    .append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
