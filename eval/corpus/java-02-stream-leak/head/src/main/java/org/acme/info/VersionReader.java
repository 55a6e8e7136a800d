package org.acme.info;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads the version of an installation. */
public final class VersionReader {
    private VersionReader() {
    }

    /** @return the {@code version} property of the properties file {@code file}, or "unknown" */
    public static String read(String file) throws IOException {
        Properties properties = new Properties();
        InputStream in = new FileInputStream(file);
        properties.load(in);
        return properties.getProperty("version", "unknown");
    }
}
