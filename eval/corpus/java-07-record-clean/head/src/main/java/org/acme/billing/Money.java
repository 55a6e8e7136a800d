package org.acme.billing;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount in one currency. */
public record Money(BigDecimal amount, Currency currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    /** @return the sum of this and {@code other}, which must be in the same currency */
    public Money plus(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
        return new Money(amount.add(other.amount), currency);
    }
}
