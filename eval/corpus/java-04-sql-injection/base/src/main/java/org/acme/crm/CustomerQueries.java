package org.acme.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
}
