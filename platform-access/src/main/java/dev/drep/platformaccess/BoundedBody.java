package dev.drep.platformaccess;

import dev.drep.core.platform.ResponseLimit;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Collects a response body up to a limit; past it the write fails (ending the exchange) and nothing more
 * is kept, so a platform that answers without end costs at most the limit in memory.
 */
final class BoundedBody implements WriteStream<Buffer> {
    private final Buffer content = Buffer.buffer();
    private final long maxBytes;
    private final String what;
    private volatile boolean overflow;

    BoundedBody(long maxBytes, String what) {
        this.maxBytes = maxBytes;
        this.what = what;
    }

    /** @return true when the body was longer than the limit */
    boolean overflowed() {
        return overflow;
    }

    /** @return the body read */
    String text() {
        return content.toString();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (overflow || content.length() + (long) data.length() > maxBytes) {
            overflow = true;
            return Future.failedFuture(new ResponseLimit.TooLarge(what, maxBytes));
        }
        content.appendBuffer(data);
        return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Future<Void> result = write(data);
        if (handler != null) {
            handler.handle(result);
        }
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        if (handler != null) {
            handler.handle(Future.succeededFuture());
        }
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
