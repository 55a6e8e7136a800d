package org.acme.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public final class CustomerQueries {
    private final Connection connection;

    public CustomerQueries(Connection connection) {
        this.connection = connection;
    }

    public int count() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM customer");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** @return true when a customer is called {@code name} */
    public boolean exists(String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 FROM customer WHERE name = '" + name + "'")) {
            return rows.next();
        }
    }
}
