package org.acme.info;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

public final class VersionReader {
    private VersionReader() {
    }

    public static String read(String file) throws IOException {
        Properties properties = new Properties();
        InputStream in = new FileInputStream(file);
        properties.load(in);
        return properties.getProperty("version", "unknown");
    }
}
